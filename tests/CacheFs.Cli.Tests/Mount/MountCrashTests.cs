using System.Diagnostics;
using System.Globalization;
using CacheFs.Cli.Mount;
using Xunit.Abstractions;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>
/// DESIGN invariant 5 through the kernel: `cachefs mount` is killed with SIGKILL while another process writes and fsyncs
/// files through it; after the dead mount is gone and the same cache is mounted again, every fsynced file must be intact.
/// Rounds share one cache, so each mount also recovers from what the earlier kills left.
/// </summary>
public sealed class MountCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillNine_MidWorkload_EveryFsyncedFileIntactAfterRemount()
    {
        var seed = Environment.GetEnvironmentVariable("CACHEFS_MOUNT_CRASH_SEED") is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : Random.Shared.Next();
        output.WriteLine($"seed {seed} (CACHEFS_MOUNT_CRASH_SEED repeats it)");
        var random = new Random(seed);
        using var scratch = new Scratch();
        var ledger = new FsyncLedger(scratch.Path("ledger.txt"));
        var workload = scratch.Path("workload.py");
        await File.WriteAllTextAsync(workload, Workload);
        var leftBehind = 0;

        for (var round = 0; round < Rounds(); round++)
        {
            using var mount = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache);
            AssertIntact(ledger, scratch.MountPoint, $"after {round} kills", scratch.Cache);

            var target = ledger.Count + random.Next(3, 40);
            using var writer = StartWorkload(workload, scratch.MountPoint, ledger.Path, round, random.Next());
            var reached = await Eventually.TrueAsync(() => ledger.Count >= target || writer.HasExited, TimeSpan.FromSeconds(60));
            if (writer.HasExited)
                Assert.Fail($"the workload must run until the mount dies, but it exited: {await writer.StandardError.ReadToEndAsync()}");
            reached.Should().BeTrue("the workload makes progress");
            await Task.Delay(random.Next(0, 30)); // somewhere inside the next file's writes, renames or fsyncs

            mount.Signal(Posix.SIGKILL);

            await mount.WaitForExitAsync(TimeSpan.FromSeconds(30));
            if (!await Mounts.GoneAsync(scratch.MountPoint, TimeSpan.FromSeconds(10)))
            {
                // fusermount3's auto_unmount race (see DeadMount): the next `cachefs mount` must detach the dead mount itself.
                Mounts.IsDead(scratch.MountPoint).Should().BeTrue("a mount left behind is a dead one");
                leftBehind++;
            }

            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
                await writer.WaitForExitAsync(stop.Token);
            output.WriteLine($"round {round}: killed at {ledger.Count} fsynced promises");
        }

        output.WriteLine($"{leftBehind} dead mounts left behind by auto_unmount, detached by the next mount");
        using (var last = await MountProcess.StartAsync(scratch.MountPoint, scratch.Cache))
        {
            var @checked = AssertIntact(ledger, scratch.MountPoint, "after the last kill", scratch.Cache);
            @checked.Should().BeGreaterThan(Rounds() * 3);
            (await last.StopAsync()).Should().Be(ExitCodes.Ok);
        }

        (await Shell.OkAsync($"sqlite3 {scratch.Cache}/journal.db 'PRAGMA integrity_check'")).Should().Be("ok");
    }

    /// <summary>CACHEFS_MOUNT_CRASH_ROUNDS raises the round count (CI runs the default).</summary>
    private static int Rounds() =>
        Environment.GetEnvironmentVariable("CACHEFS_MOUNT_CRASH_ROUNDS") is { Length: > 0 } text ? Math.Max(1, int.Parse(text, CultureInfo.InvariantCulture)) : 12;

    private int AssertIntact(FsyncLedger ledger, string mountPoint, string when, string? cache = null)
    {
        var (broken, @checked) = ledger.Verify(mountPoint);
        if (broken.Count > 0 && cache is not null && Directory.Exists(Path.Combine(cache, "logs")))
        {
            // What the mounts said about the broken files, for whoever reads the failure.
            var names = broken.Select(b => b.Split(':')[0]).Select(Path.GetFileName).ToList();
            foreach (var log in Directory.GetFiles(Path.Combine(cache, "logs")).Order())
            {
                foreach (var line in File.ReadLines(log).Where(l => names.Exists(n => l.Contains(n!, StringComparison.Ordinal))))
                    output.WriteLine(line);
            }
        }

        broken.Should().BeEmpty($"every file fsynced before a kill survives it ({when}; {@checked} checked)");
        return @checked;
    }

    private static Process StartWorkload(string script, string mountPoint, string ledger, int round, int seed)
    {
        var start = new ProcessStartInfo("python3") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { script, mountPoint, ledger, round.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    /// <summary>
    /// New files (written in pieces, fsynced, renamed into place, directory fsynced), appends to a growing file with an
    /// fsync each, and unsynced scratch files created and deleted in between. A promise is written only after fsync returns.
    /// </summary>
    private const string Workload = """
        import hashlib, os, random, sys
        mount, ledger_path, round_no, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        rnd = random.Random(seed)
        rel_dir = f"round-{round_no:02d}"
        directory = os.path.join(mount, rel_dir)
        os.makedirs(directory, exist_ok=True)
        dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        ledger = os.open(ledger_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

        def promise(kind, rel, length, digest):
            os.write(ledger, f"{kind} {rel} {length} {digest}\n".encode())
            os.fsync(ledger)

        growing = os.path.join(directory, "growing.log")
        growing_fd = os.open(growing, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        growing_hash, growing_length = hashlib.sha256(), 0
        i = 0
        while True:
            i += 1
            kind = rnd.random()
            if kind < 0.6:
                name = f"f{i:05d}.bin"
                data = rnd.randbytes(rnd.choice([0, 1, 517, 4096, 65536, 200000, 1 << 20]))
                tmp = os.path.join(directory, name + ".tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                for start in range(0, len(data), 65536):
                    os.write(fd, data[start:start + 65536])
                os.fsync(fd)
                os.close(fd)
                os.rename(tmp, os.path.join(directory, name))
                os.fsync(dir_fd)
                promise("file", f"{rel_dir}/{name}", len(data), hashlib.sha256(data).hexdigest())
            elif kind < 0.85:
                chunk = rnd.randbytes(rnd.randint(1, 9000))
                os.write(growing_fd, chunk)
                os.fsync(growing_fd)
                growing_hash.update(chunk)
                growing_length += len(chunk)
                promise("prefix", f"{rel_dir}/growing.log", growing_length, growing_hash.copy().hexdigest())
            else:
                noise = os.path.join(directory, f"noise{i % 5}")
                with open(noise, "wb") as f:
                    f.write(rnd.randbytes(rnd.randint(0, 30000)))
                if rnd.random() < 0.5:
                    os.unlink(noise)
        """;
}
