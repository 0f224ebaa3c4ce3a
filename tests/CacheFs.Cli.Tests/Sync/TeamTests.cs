using System.Security.Cryptography;
using CacheFs.Cli.Tests.Mount;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// Several machines on one origin, each a separate `cachefs mount` process with its own cache, and the origin a
/// separate `cachefs origin serve` process: changes travel, leases keep two writers apart, fencing keeps a frozen
/// client from overwriting a newer version, and nothing anyone wrote is lost.
/// </summary>
[Collection(nameof(TeamTests))]
public sealed class TeamTests
{
    private const int EBUSY = 16;

    [Fact]
    public async Task WrittenOnA_ReadableOnBWithTheNewContent()
    {
        await using var team = await Team.StartAsync(mounts: 2);
        var a = Path.Combine(team.MountPoint(0), "report.txt");
        var b = Path.Combine(team.MountPoint(1), "report.txt");

        await File.WriteAllTextAsync(a, "first version");
        (await Eventually.TrueAsync(() => ReadOrNull(b) == "first version", TimeSpan.FromSeconds(20))).Should().BeTrue("B sees A's new file");

        await File.WriteAllTextAsync(a, "second, longer version");
        (await Eventually.TrueAsync(() => ReadOrNull(b) == "second, longer version", TimeSpan.FromSeconds(20))).Should().BeTrue("B sees A's change");
        File.ReadAllText(Path.Combine(team.OriginRoot, "report.txt")).Should().Be("second, longer version");
    }

    [Fact]
    public async Task Namespace_MkdirRenameDeleteOnA_FollowedOnB()
    {
        await using var team = await Team.StartAsync(mounts: 2);
        var a = team.MountPoint(0);
        var b = team.MountPoint(1);
        Directory.CreateDirectory(Path.Combine(a, "shots", "day1"));
        await File.WriteAllTextAsync(Path.Combine(a, "shots", "day1", "take.txt"), "take");
        await team.SyncAsync(0);
        File.ReadAllText(Path.Combine(b, "shots", "day1", "take.txt")).Should().Be("take");

        Directory.Move(Path.Combine(a, "shots", "day1"), Path.Combine(a, "shots", "monday"));
        File.Delete(Path.Combine(a, "shots", "monday", "take.txt"));
        await File.WriteAllTextAsync(Path.Combine(a, "shots", "monday", "take2.txt"), "take two");
        await team.SyncAsync(0);

        (await Eventually.TrueAsync(
            () => Directory.Exists(Path.Combine(b, "shots", "monday")) && !Directory.Exists(Path.Combine(b, "shots", "day1")),
            TimeSpan.FromSeconds(20))).Should().BeTrue("B follows the rename");
        (await Eventually.TrueAsync(
            () => Directory.GetFiles(Path.Combine(b, "shots", "monday")).Select(Path.GetFileName).SequenceEqual(["take2.txt"]),
            TimeSpan.FromSeconds(20))).Should().BeTrue("B follows the delete and the create");
        File.ReadAllText(Path.Combine(b, "shots", "monday", "take2.txt")).Should().Be("take two");
    }

    [Fact]
    public async Task WriteLease_HeldByA_BCannotOpenForWritingUntilAClosedAndUploaded()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "scene.blend"), "v1"));
        var a = Path.Combine(team.MountPoint(0), "scene.blend");
        var b = Path.Combine(team.MountPoint(1), "scene.blend");

        using (var writer = new FileStream(a, FileMode.Open, FileAccess.Write))
        {
            writer.Write("A's edit"u8);
            writer.Flush();

            var open = () => new FileStream(b, FileMode.Open, FileAccess.Write).Dispose();
            open.Should().Throw<IOException>().Where(e => (e.HResult & 0xFFFF) == EBUSY, "A holds the write lease");
            File.ReadAllText(b).Should().Be("v1", "B still reads the origin's version");
        }

        await team.SyncAsync(0);
        (await Eventually.TrueAsync(() => CanOpenForWriting(b), TimeSpan.FromSeconds(20))).Should().BeTrue("A gave the lease back after uploading");
        File.ReadAllText(b).Should().Be("A's edit");
    }

    [Fact]
    public async Task WriteLease_AKilled_BCanWriteAfterTheTtl()
    {
        await using var team = await Team.StartAsync(mounts: 2, leaseTtlSeconds: 3, seed: root => File.WriteAllText(Path.Combine(root, "level.map"), "v1"));
        var a = Path.Combine(team.MountPoint(0), "level.map");
        var b = Path.Combine(team.MountPoint(1), "level.map");
        using var writer = await WriterProcess.StartAsync(a, "unsaved"u8.ToArray());
        CanOpenForWriting(b).Should().BeFalse("A holds the lease");

        team.Mounts[0].Signal(Posix.SIGKILL);
        await team.Mounts[0].WaitForExitAsync(TimeSpan.FromSeconds(30));

        (await Eventually.TrueAsync(() => CanOpenForWriting(b), TimeSpan.FromSeconds(30))).Should().BeTrue("A's lease expired with its session");
        await File.WriteAllTextAsync(b, "B's version");
        await team.SyncAsync(1);
        File.ReadAllText(Path.Combine(team.OriginRoot, "level.map")).Should().Be("B's version");
    }

    [Fact]
    public async Task Fencing_AFrozenPastItsTtl_ItsUploadIsRefusedAndKeptAsAConflictCopy()
    {
        await using var team = await Team.StartAsync(mounts: 2, leaseTtlSeconds: 3, seed: root => File.WriteAllText(Path.Combine(root, "cut.edl"), "v1"));
        var a = Path.Combine(team.MountPoint(0), "cut.edl");
        var b = Path.Combine(team.MountPoint(1), "cut.edl");
        var aBytes = RandomNumberGenerator.GetBytes(100_000);

        // A writes under its lease but has not closed: nothing is uploaded yet.
        using var writer = await WriterProcess.StartAsync(a, aBytes);

        team.Mounts[0].Signal(Posix.SIGSTOP);
        try
        {
            (await Eventually.TrueAsync(() => CanOpenForWriting(b), TimeSpan.FromSeconds(30))).Should().BeTrue("A's lease lapsed while it was frozen");
            await File.WriteAllTextAsync(b, "B's version");
            await team.SyncAsync(1);
        }
        finally
        {
            team.Mounts[0].Signal(Posix.SIGCONT);
        }

        await writer.CloseAsync(); // A's close queues the upload of its stale edit
        await team.SyncAsync(0);

        File.ReadAllText(Path.Combine(team.OriginRoot, "cut.edl")).Should().Be("B's version", "the origin keeps the newer version");
        var conflicts = Directory.GetFiles(team.OriginRoot, "cut (conflict ws-0 *).edl");
        conflicts.Should().ContainSingle("A's bytes survive beside it");
        File.ReadAllBytes(conflicts[0]).Should().Equal(aBytes);
        (await Eventually.TrueAsync(() => ReadOrNull(a) == "B's version", TimeSpan.FromSeconds(20))).Should().BeTrue("A now reads the origin's version");
    }

    [Fact]
    public async Task LazyHydration_FirstBytesOfALargeFile_FetchOnlyAFewBlocks_ThenServedWithoutTheOrigin()
    {
        const long size = 256L << 20;
        var content = RandomNumberGenerator.GetBytes(4 << 20);
        await using var team = await Team.StartAsync(mounts: 1, seed: root =>
        {
            using var file = File.Create(Path.Combine(root, "take.mov"));
            for (long written = 0; written < size; written += content.Length)
                file.Write(content);
        });
        var path = Path.Combine(team.MountPoint(0), "take.mov");

        var head = new byte[4096];
        using (var stream = File.OpenRead(path))
            stream.ReadExactly(head);
        head.Should().Equal(content[..4096]);
        var cached = await CachedBytesAsync(team.Cache(0));
        cached.Should().BeLessThan(8L << 20, "a 4 KiB read fetches a block or two, not the file");

        // Read it whole, then stop the origin: the cache serves it alone.
        var hash = SHA256.HashData(File.ReadAllBytes(path));
        (await team.Origin.StopAsync()).Should().Be(0);
        SHA256.HashData(File.ReadAllBytes(path)).Should().Equal(hash);
        File.ReadAllBytes(path).AsSpan(0, content.Length).SequenceEqual(content).Should().BeTrue();
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool CanOpenForWriting(string path)
    {
        try
        {
            new FileStream(path, FileMode.Open, FileAccess.Write).Dispose();
            return true;
        }
        catch (IOException e) when ((e.HResult & 0xFFFF) == EBUSY)
        {
            return false;
        }
    }

    /// <summary>What the cache's content objects really occupy on disk (they are sparse).</summary>
    private static async Task<long> CachedBytesAsync(string cache) =>
        long.Parse((await Shell.OkAsync($"du -s --block-size=1 {cache}/objects | cut -f1")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
}
