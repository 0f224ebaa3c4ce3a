using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CacheFs.Cli.Tests.Mount;
using CacheFs.Cli.Tests.Sync;

namespace CacheFs.Cli.Tests.Cache;

/// <summary>
/// The admin commands through a real FUSE mount of a separate origin process: automatic eviction under a quota,
/// `cachefs cache evict|pin|unpin|ls`, `cachefs status --json` against its schema, and the control endpoint's refusal
/// of other users.
/// </summary>
[Collection(nameof(TeamTests))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class CacheCommandTests
{
    private const int MiB = 1 << 20;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AutoEviction_ReadsPastQuota_UnderLowWatermark_DirtyAndPinnedKept_EvictToZeroReportsThem()
    {
        await using var team = await Team.StartAsync(
            mounts: 1,
            seed: root =>
            {
                Directory.CreateDirectory(Path.Combine(root, "pool"));
                Directory.CreateDirectory(Path.Combine(root, "keep"));
                for (var i = 0; i < 12; i++)
                    File.WriteAllBytes(Path.Combine(root, "pool", $"take{i:00}.mov"), Content(MiB, i));
                File.WriteAllBytes(Path.Combine(root, "keep", "pinned.mov"), Content(MiB, 99));
            },
            mountArguments: ["--cache-size", "8M", "--cache-high", "90", "--cache-low", "50", "--min-free", "0"]);
        var mnt = team.MountPoint(0);
        var low = 4L * MiB;
        var high = 8L * MiB * 90 / 100;

        (await Cachefs.RunAsync("cache", "pin", "--mount", mnt, Path.Combine(mnt, "keep"))).ExitCode.Should().Be(0);
        foreach (var file in Directory.GetFiles(Path.Combine(mnt, "pool")).Order())
            (await File.ReadAllBytesAsync(file)).Length.Should().Be(MiB);

        // Phase 1, online: the reads crossed the high watermark; each automatic run evicted down to the low one.
        (await Eventually.TrueAsync(() => Status(mnt)["cache"]!["cachedBytes"]!.GetValue<long>() <= high, Wait)).Should().BeTrue(team.Mounts[0].Log);
        var runs = EvictionLine().Matches(team.Mounts[0].Log).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        runs.Should().NotBeEmpty("the cache went past its quota");
        runs.Should().OnlyContain(now => now <= low, "each run ends under the low watermark");
        State(mnt, "keep/pinned.mov").Should().Be(("Complete", true, false));

        // Phase 2, offline: what is written now stays dirty; pushing the cache over the quota with it evicts only clean content.
        (await team.Origin.StopAsync()).Should().Be(0);
        for (var i = 0; i < 7; i++)
            await File.WriteAllBytesAsync(Path.Combine(mnt, $"mine{i}.bin"), Content(MiB, 50 + i));
        (await Eventually.TrueAsync(() => Files(mnt, "pool").All(f => f["cachedBytes"]!.GetValue<long>() == 0), Wait)).Should().BeTrue(team.Mounts[0].Log);
        for (var i = 0; i < 7; i++)
            State(mnt, $"mine{i}.bin").Should().Be(("Complete", false, true));
        State(mnt, "keep/pinned.mov").Should().Be(("Complete", true, false));

        var evict = await Cachefs.RunAsync("cache", "evict", "--mount", mnt, "--to", "0", "--json");
        evict.ExitCode.Should().Be(61, "dirty and pinned content stays above the target: " + evict.Error);
        var report = JsonNode.Parse(evict.Output)!;
        report["freed"]!.AsArray().Should().BeEmpty();
        report["skipped"]!.AsArray().Select(s => (s!["path"]!.GetValue<string>(), s["reason"]!.GetValue<string>()))
            .Should().BeEquivalentTo(Enumerable.Range(0, 7).Select(i => ($"mine{i}.bin", "Dirty")).Append(("keep/pinned.mov", "Pinned")));
        report["cachedBytesAfter"]!.GetValue<long>().Should().Be(8L * MiB);
        (await File.ReadAllBytesAsync(Path.Combine(mnt, "keep", "pinned.mov"))).Should().Equal(Content(MiB, 99));
        (await File.ReadAllBytesAsync(Path.Combine(mnt, "mine3.bin"))).Should().Equal(Content(MiB, 53));

        var human = await Cachefs.RunAsync("cache", "evict", "--mount", mnt, "--to", "0");
        human.Output.Should().Contain("Skipped 8 files").And.Contain("7 dirty (not uploaded yet)").And.Contain("1 pinned").And.Contain("mine0.bin");
        var verify = await Cachefs.RunAsync("cache", "verify", "--mount", mnt);
        verify.ExitCode.Should().Be(0, verify.Output + verify.Error);
        team.Mounts[0].Errors.Should().BeEmpty();
    }

    [Fact]
    public async Task Pin_DirectoryThenOriginStopped_Served_UnpinEvict_GoneButListed()
    {
        await using var team = await Team.StartAsync(
            mounts: 1,
            seed: root =>
            {
                Directory.CreateDirectory(Path.Combine(root, "docs", "specs"));
                for (var i = 0; i < 4; i++)
                    File.WriteAllBytes(Path.Combine(root, "docs", $"part{i}.dwg"), Content(300_000 + i, i));
                File.WriteAllBytes(Path.Combine(root, "docs", "specs", "spec.pdf"), Content(2 * MiB + 7, 9));
            });
        var mnt = team.MountPoint(0);

        var pin = await Cachefs.RunAsync("cache", "pin", "--mount", mnt, Path.Combine(mnt, "docs"));
        pin.ExitCode.Should().Be(0, pin.Error);
        pin.Output.Should().Contain("Pinned 5 files");
        (await team.Origin.StopAsync()).Should().Be(0);

        foreach (var file in Directory.GetFiles(Path.Combine(team.OriginRoot, "docs"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(team.OriginRoot, file);
            (await File.ReadAllBytesAsync(Path.Combine(mnt, relative))).Should().Equal(await File.ReadAllBytesAsync(file), relative + " is served with the origin down");
        }

        (await Cachefs.RunAsync("cache", "unpin", "--mount", mnt, Path.Combine(mnt, "docs"))).ExitCode.Should().Be(0);
        var evict = await Cachefs.RunAsync("cache", "evict", "--mount", mnt, "--path", Path.Combine(mnt, "docs"), "--json");
        evict.ExitCode.Should().Be(0, evict.Error);
        JsonNode.Parse(evict.Output)!["freed"]!.AsArray().Should().HaveCount(5);

        var listed = Files(mnt, "docs");
        listed.Select(f => f["path"]!.GetValue<string>()).Should().BeEquivalentTo("docs/part0.dwg", "docs/part1.dwg", "docs/part2.dwg", "docs/part3.dwg", "docs/specs");
        listed.Where(f => f["kind"]!.GetValue<string>() == "File").Should().OnlyContain(f =>
            f["content"]!.GetValue<string>() == "Placeholder" && f["cachedBytes"]!.GetValue<long>() == 0 && !f["pinned"]!.GetValue<bool>());
        Directory.GetFiles(Path.Combine(mnt, "docs")).Should().HaveCount(4, "the names stay");
        new FileInfo(Path.Combine(mnt, "docs", "specs", "spec.pdf")).Length.Should().Be(2 * MiB + 7, "the sizes stay");
        var ls = await Cachefs.RunAsync("cache", "ls", "--mount", mnt, Path.Combine(mnt, "docs", "specs"));
        ls.Output.Should().Contain("docs/specs/spec.pdf").And.Contain("placeholder");
    }

    [Fact]
    public async Task Pinned_ChangedByAnotherMount_NewVersionFetchedAndServedOffline()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllBytes(Path.Combine(root, "scene.blend"), Content(MiB, 1)));
        var a = team.MountPoint(0);
        (await Cachefs.RunAsync("cache", "pin", "--mount", a, Path.Combine(a, "scene.blend"))).ExitCode.Should().Be(0);

        var edited = Content(MiB + 5, 2);
        await File.WriteAllBytesAsync(Path.Combine(team.MountPoint(1), "scene.blend"), edited);
        await team.SyncAsync(1);

        (await Eventually.TrueAsync(
            () => Files(a, "scene.blend").Single() is var f && f["size"]!.GetValue<long>() == MiB + 5 && f["content"]!.GetValue<string>() == "Complete",
            Wait)).Should().BeTrue(team.Mounts[0].Log);
        (await team.Origin.StopAsync()).Should().Be(0);
        (await File.ReadAllBytesAsync(Path.Combine(a, "scene.blend"))).Should().Equal(edited);
    }

    [Fact]
    public async Task Status_Json_MatchesTheSchema_HumanOutputHasEveryField()
    {
        await using var team = await Team.StartAsync(
            mounts: 1,
            seed: root => File.WriteAllBytes(Path.Combine(root, "a.bin"), Content(100_000, 1)),
            mountArguments: ["--cache-size", "1G"]);
        var mnt = team.MountPoint(0);
        (await File.ReadAllBytesAsync(Path.Combine(mnt, "a.bin"))).Length.Should().Be(100_000);

        var status = await Cachefs.RunAsync("status", "--json", "--mount", mnt);
        status.ExitCode.Should().Be(0, status.Error);
        var schema = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "status.schema.json")))!.AsObject();
        var json = JsonNode.Parse(status.Output);

        SchemaCheck.Validate(json, schema).Should().BeEmpty(status.Output);
        json!["mountPoint"]!.GetValue<string>().Should().Be(mnt);
        json["quota"]!["quotaBytes"]!.GetValue<long>().Should().Be(1L << 30);
        SchemaCheck.Validate(JsonNode.Parse("""{"mode":"other","cache":{}}"""), schema).Should().HaveCountGreaterThan(5, "the validator does check");

        var human = await Cachefs.RunAsync("status", "--mount", mnt);
        human.ExitCode.Should().Be(0);
        foreach (var label in new[] { "mount point", "origin", "connection", "cache size", "files", "dirty", "pinned", "upload queue", "leases held" })
            human.Output.Should().Contain(label);
        human.Output.Should().Contain("of 1.0 GiB quota").And.Contain("1 complete");
    }

    [Fact]
    public async Task ControlEndpoint_AnotherUser_Refused()
    {
        await using var team = await Team.StartAsync(mounts: 1);
        var cache = team.Cache(0);
        var socket = Path.Combine(cache, "control.sock");
        File.GetUnixFileMode(socket).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // The socket file's mode stops another user at connect.
        OpenToOthers(cache);
        var refused = await AsNobodyAsync("status", "--cache", cache);
        refused.ExitCode.Should().Be(65, refused.Output + refused.Error);
        refused.Error.Should().Contain("permission denied").And.Contain("only the user who mounted");

        // With the file opened up, the mount still checks the peer's uid (SO_PEERCRED) and refuses.
        File.SetUnixFileMode(socket, (UnixFileMode)Convert.ToInt32("666", 8));
        var checkedByPeer = await AsNobodyAsync("cache", "evict", "--to", "0", "--cache", cache);
        checkedByPeer.ExitCode.Should().Be(65, checkedByPeer.Output + checkedByPeer.Error);
        checkedByPeer.Error.Should().Contain("only the user who mounted this volume may control it");

        (await Cachefs.RunAsync("status", "--cache", cache)).ExitCode.Should().Be(0, "the owner still may");
    }

    [Fact]
    public async Task AdminCommand_NoMountRunning_SaysWhatToDo()
    {
        var result = await Cachefs.RunAsync("status", "--mount", "/nonexistent-mount");

        result.ExitCode.Should().Be(50);
        result.Error.Should().Contain("no mount at /nonexistent-mount; is `cachefs mount` running?");
    }

    [Fact]
    public async Task Unmount_RightAfterAWrite_TheChangeIsOnTheOrigin()
    {
        await using var team = await Team.StartAsync(mounts: 1);
        var content = Content(4 * MiB, 3);
        await File.WriteAllBytesAsync(Path.Combine(team.MountPoint(0), "late.bin"), content);

        var unmount = await Cachefs.RunAsync("unmount", team.MountPoint(0));

        unmount.ExitCode.Should().Be(0, unmount.Error);
        (await File.ReadAllBytesAsync(Path.Combine(team.OriginRoot, "late.bin"))).Should().Equal(content);
    }

    private static byte[] Content(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static JsonNode Status(string mnt) => JsonNode.Parse(Run("status", "--mount", mnt, "--json"))!;

    private static List<JsonNode> Files(string mnt, string path) =>
        JsonNode.Parse(Run("cache", "ls", "--mount", mnt, Path.Combine(mnt, path), "--json"))!.AsArray().Select(n => n!).ToList();

    private static (string Content, bool Pinned, bool Dirty) State(string mnt, string path)
    {
        var file = Files(mnt, path).Single();
        return (file["content"]!.GetValue<string>(), file["pinned"]!.GetValue<bool>(), file["dirty"]!.GetValue<bool>());
    }

    private static string Run(params string[] arguments)
    {
        var result = Cachefs.RunAsync(arguments).GetAwaiter().GetResult();
        result.ExitCode.Should().Be(0, result.Error);
        return result.Output;
    }

    /// <summary>Lets another user reach the socket file (so that only its mode, or the mount's uid check, stands in the way).</summary>
    private static void OpenToOthers(string cache)
    {
        var mode = (UnixFileMode)Convert.ToInt32("755", 8);
        for (var dir = cache; dir != "/" && dir.Length > 1; dir = Path.GetDirectoryName(dir)!)
        {
            if (dir.StartsWith(Path.GetTempPath().TrimEnd('/') + "/", StringComparison.Ordinal))
                File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | mode);
        }
    }

    private static Task<CommandResult> AsNobodyAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", Cachefs.Executable, .. arguments])
            start.ArgumentList.Add(argument);
        return Cachefs.RunAsync(start, "setpriv nobody cachefs " + string.Join(' ', arguments));
    }

    private static string RepositoryRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "CacheFs.sln")))
                return dir;
        }

        throw new InvalidOperationException("the tests run outside the repository");
    }

    [GeneratedRegex(@"Cache over its limit: freed \d+ bytes of \d+ files, now (\d+) of")]
    private static partial Regex EvictionLine();
}
