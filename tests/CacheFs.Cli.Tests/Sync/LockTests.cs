using CacheFs.Cli.Tests.Mount;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// fcntl and flock locks through two real mounts of one origin, each mount a separate `cachefs mount` process: a lock
/// taken on one machine is seen on the other, a signal ends a wait, and two sqlite3 processes share one database.
/// </summary>
[Collection(nameof(TeamTests))]
public sealed class LockTests
{
    /// <summary>
    /// Takes a lock (fcntl lockf or flock) and holds it until told to let go; prints "locked", then "unlocked". With
    /// "try" it only reports whether a non-blocking attempt would succeed ("free" or "busy" with the errno).
    /// </summary>
    private const string Locker = """
        import errno, fcntl, os, sys
        kind, mode, path = sys.argv[1], sys.argv[2], sys.argv[3]
        fd = os.open(path, os.O_RDWR)
        op = fcntl.LOCK_EX if kind in ('ex', 'ex-wait') else fcntl.LOCK_SH
        lock = fcntl.flock if mode == 'flock' else fcntl.lockf
        if kind in ('ex', 'sh'):
            try:
                lock(fd, op | fcntl.LOCK_NB)
            except OSError as e:
                print('busy', errno.errorcode[e.errno], flush=True)
                sys.exit(0)
            print('locked', flush=True)
            sys.stdin.readline()
            os.close(fd)
            print('unlocked', flush=True)
        else:
            print('waiting', flush=True)
            lock(fd, op)
            print('locked', flush=True)
        """;

    [Fact]
    public async Task FcntlLock_HeldOnA_RefusedOnBUntilAReleases()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "scene.lock"), "x"));
        var a = Path.Combine(team.MountPoint(0), "scene.lock");
        var b = Path.Combine(team.MountPoint(1), "scene.lock");

        using var holder = await LockerProcess.StartAsync(Locker, "ex", "fcntl", a);
        (await holder.ReadLineAsync()).Should().Be("locked");
        (await TryAsync("ex", "fcntl", b)).Should().Be("busy EAGAIN", "A holds a write lock on the whole file");
        (await TryAsync("sh", "fcntl", b)).Should().Be("busy EAGAIN", "a read lock clashes with A's write lock too");

        await holder.SendLineAsync("go");
        (await holder.ReadLineAsync()).Should().Be("unlocked");
        (await TryAsync("ex", "fcntl", b)).Should().Be("locked", "A's close released its lock on the origin");
    }

    /// <summary>The admin's view: `cachefs locks` on the holder's mount, and `cachefs origin locks break` for a stuck holder.</summary>
    [Fact]
    public async Task LocksCommand_ListsTheHolder_OriginBreakFreesTheFile()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "scene.lock"), "x"));
        var a = Path.Combine(team.MountPoint(0), "scene.lock");
        var b = Path.Combine(team.MountPoint(1), "scene.lock");
        using var holder = await LockerProcess.StartAsync(Locker, "ex", "fcntl", a);
        (await holder.ReadLineAsync()).Should().Be("locked");

        var listed = await Cachefs.RunAsync("locks", "--mount", team.MountPoint(0), "--json");
        listed.ExitCode.Should().Be(0, listed.Error);
        listed.Output.Should().Contain("\"path\":\"scene.lock\"").And.Contain("\"clientName\":\"ws-0\"").And.Contain("\"type\":\"Write\"");
        var status = await Cachefs.RunAsync("status", "--mount", team.MountPoint(0), "--json");
        status.Output.Should().Contain("\"lockOwners\":1");

        var broken = await Cachefs.RunAsync("origin", "locks", "break", "scene.lock", "--origin", team.Origin.Uri.ToString(), "--token", Team.Token);
        broken.ExitCode.Should().Be(0, broken.Error);
        broken.Output.Should().StartWith("Broke 1 lock(s) on /scene.lock: fcntl exclusive 0-end of ws-0");
        (await TryAsync("ex", "fcntl", b)).Should().Be("locked", "the admin freed the file");
        var missing = await Cachefs.RunAsync("origin", "locks", "break", "nothing-here", "--origin", team.Origin.Uri.ToString(), "--token", Team.Token);
        missing.ExitCode.Should().Be(60, "no such file on the origin");
    }

    [Fact]
    public async Task Flock_SharedOnA_SharedOnBGrantedExclusiveRefused()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "cut.edl"), "x"));
        var a = Path.Combine(team.MountPoint(0), "cut.edl");
        var b = Path.Combine(team.MountPoint(1), "cut.edl");

        using var holder = await LockerProcess.StartAsync(Locker, "sh", "flock", a);
        (await holder.ReadLineAsync()).Should().Be("locked");
        (await TryAsync("sh", "flock", b)).Should().Be("locked", "shared flock locks coexist across machines");
        (await TryAsync("ex", "flock", b)).Should().Be("busy EAGAIN", "A holds a shared flock");
        (await TryAsync("ex", "fcntl", b)).Should().Be("locked", "flock and fcntl locks are separate, as on Linux");

        await holder.SendLineAsync("go");
        (await holder.ReadLineAsync()).Should().Be("unlocked");
        (await TryAsync("ex", "flock", b)).Should().Be("locked");
    }

    [Fact]
    public async Task FcntlLock_WaiterOnB_GrantedWhenAReleases_OrInterruptedBySignal()
    {
        await using var team = await Team.StartAsync(mounts: 2, seed: root => File.WriteAllText(Path.Combine(root, "render.lock"), "x"));
        var a = Path.Combine(team.MountPoint(0), "render.lock");
        var b = Path.Combine(team.MountPoint(1), "render.lock");

        using var holder = await LockerProcess.StartAsync(Locker, "ex", "fcntl", a);
        (await holder.ReadLineAsync()).Should().Be("locked");

        // A waiter killed by a signal does not hang the mount: the kernel interrupts its request and it goes away.
        using (var interrupted = await LockerProcess.StartAsync(Locker, "ex-wait", "fcntl", b))
        {
            (await interrupted.ReadLineAsync()).Should().Be("waiting");
            await interrupted.KillAndWaitAsync();
        }

        using var waiter = await LockerProcess.StartAsync(Locker, "ex-wait", "fcntl", b);
        (await waiter.ReadLineAsync()).Should().Be("waiting");
        await holder.SendLineAsync("go");
        (await holder.ReadLineAsync()).Should().Be("unlocked");
        (await waiter.ReadLineAsync()).Should().Be("locked", "B's F_SETLKW is granted once A lets go");
    }

    /// <summary>
    /// The item 5: two sqlite3 processes on two mounts insert into one database in rollback-journal mode; their
    /// locks go to the origin, and each unlock sends the commit before the other side can lock. No row is lost.
    /// </summary>
    [Fact]
    public async Task Sqlite_TwoMountsInsertingIntoOneRollbackJournalDatabase_IntegrityOkAndNoLostRows()
    {
        const int RowsEach = 60;
        await using var team = await Team.StartAsync(mounts: 2);
        var dirA = team.MountPoint(0);
        var dirB = team.MountPoint(1);
        await Shell.OkAsync("sqlite3 shared.db 'PRAGMA journal_mode=DELETE; CREATE TABLE t(id INTEGER PRIMARY KEY, who TEXT NOT NULL, n INTEGER NOT NULL);'", dirA);
        await team.SyncAsync(0);
        (await Eventually.TrueAsync(() => File.Exists(Path.Combine(dirB, "shared.db")), TimeSpan.FromSeconds(20))).Should().BeTrue();

        static string Inserts(string who) =>
            string.Concat(Enumerable.Range(1, RowsEach).Select(i => $"INSERT INTO t(who, n) VALUES('{who}', {i});\n"));
        var writerA = Shell.RunAsync("sqlite3 -bail -cmd '.timeout 60000' shared.db", dirA, Inserts("A"));
        var writerB = Shell.RunAsync("sqlite3 -bail -cmd '.timeout 60000' shared.db", dirB, Inserts("B"));
        var results = await Task.WhenAll(writerA, writerB);
        foreach (var result in results)
            result.ExitCode.Should().Be(0, result.Error + "\n" + team.Mounts[0].Log + "\n" + team.Mounts[1].Log);

        const string Check = "sqlite3 -cmd '.timeout 60000' shared.db 'PRAGMA integrity_check; SELECT who, count(*), count(DISTINCT n) FROM t GROUP BY who ORDER BY who;'";
        var expected = $"ok\nA|{RowsEach}|{RowsEach}\nB|{RowsEach}|{RowsEach}";
        (await Shell.OkAsync(Check, dirA)).Should().Be(expected);
        (await Shell.OkAsync(Check, dirB)).Should().Be(expected);
        await team.SyncAsync(0);
        await team.SyncAsync(1);
        (await Shell.OkAsync(Check, team.OriginRoot)).Should().Be(expected, "the origin's copy holds every commit");
        File.Exists(Path.Combine(team.OriginRoot, "shared.db-journal")).Should().BeFalse("no transaction is left half done");
    }

    /// <summary>
    /// Signals interrupt lock requests in flight (a .NET program's GC suspends its threads with one, and .NET opens
    /// take a flock): the mount must answer each. 400 flock/unlock pairs under a 0.5 ms timer. (The deadlock a CI run
    /// found, an interrupt cancelling inline under libfuse's request lock, needs the request to be waiting on the
    /// outbox when the signal comes; this test does not force that timing.)
    /// </summary>
    [Fact]
    public async Task Flock_UnderASteadyRainOfSignals_EveryCallIsAnswered()
    {
        const string Rain = """
            import fcntl, os, signal, sys
            signal.signal(signal.SIGALRM, lambda *_: None)
            signal.setitimer(signal.ITIMER_REAL, 0.0005, 0.0005)
            done = 0
            for i in range(400):
                fd = os.open(sys.argv[1], os.O_RDONLY)
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                done += 1
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            print(done, flush=True)
            """;
        await using var team = await Team.StartAsync(mounts: 1, seed: root => File.WriteAllText(Path.Combine(root, "busy.txt"), "x"));
        using var rain = await LockerProcess.StartAsync(Rain, Path.Combine(team.MountPoint(0), "busy.txt"));

        (await rain.ReadLineAsync()).Should().Be("400", "every interrupted request was answered (Python retries on EINTR)");
    }

    private static async Task<string> TryAsync(string kind, string mode, string path)
    {
        using var probe = await LockerProcess.StartAsync(Locker, kind, mode, path);
        var line = await probe.ReadLineAsync();
        if (line == "locked")
            await probe.SendLineAsync("go");
        return line;
    }
}
