using System.Security.Cryptography;
using System.Text;

namespace CacheFs.Cli.Tests.Mount;

/// <summary>
/// Ordinary programs through a real mount served by a separate `cachefs mount` process: git, sqlite3, tar, rsync, cp,
/// a memory-mapping program, and several shells renaming and appending at once.
/// </summary>
public sealed class RealProgramTests(MountedVolume fx) : IClassFixture<MountedVolume>
{
    private const string NoUserGitConfig = "export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1\n";

    [Fact]
    public async Task Git_CommitThousandFiles_StatusAndFsckClean()
    {
        var repo = fx.Inside("git");
        SampleTree.Write(repo, files: 1000, maxSize: 6000, seed: 1);

        await Shell.OkAsync(NoUserGitConfig + "git init -q . && git add -A && git -c user.name=CacheFs -c user.email=ci@cachefs.test commit -q -m 'a tree of 1,000 files'", repo);

        (await Shell.OkAsync(NoUserGitConfig + "git status --porcelain", repo)).Should().BeEmpty();
        (await Shell.OkAsync(NoUserGitConfig + "git ls-files | wc -l", repo)).Should().Be("1000");
        var fsck = await Shell.RunAsync(NoUserGitConfig + "git fsck --full --strict --no-dangling", repo);
        fsck.ExitCode.Should().Be(0, fsck.Error);
        fsck.Output.Should().BeEmpty();
        (await Shell.OkAsync(NoUserGitConfig + "git rev-list --count HEAD", repo)).Should().Be("1");
    }

    [Fact]
    public async Task Sqlite3_TenThousandInsertsInWalWithReaders_IntegrityOk()
    {
        var dir = fx.Inside("sqlite");
        var script = new StringBuilder();
        for (var tx = 0; tx < 10; tx++)
        {
            script.AppendLine("BEGIN;");
            for (var i = 1; i <= 1000; i++)
                script.AppendLine($"INSERT INTO t(id, name, payload) VALUES ({(tx * 1000) + i}, 'row {(tx * 1000) + i}', randomblob(200));");
            script.AppendLine("COMMIT;");
        }

        (await Shell.OkAsync("sqlite3 db.sqlite 'PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, payload BLOB); CREATE INDEX t_name ON t(name);'", dir))
            .Should().Be("wal");

        // Readers in other processes share the WAL index (-shm, memory-mapped) with the writer; each sees whole transactions only.
        var counts = await Shell.OkAsync(
            """
            (for i in $(seq 1 40); do sqlite3 -cmd '.timeout 10000' db.sqlite 'SELECT count(*) FROM t'; done > counts.txt) &
            readers=$!
            sqlite3 -cmd '.timeout 10000' db.sqlite
            wait $readers
            cat counts.txt
            """,
            dir,
            input: script.ToString());

        counts.Split('\n').Should().HaveCount(40).And.OnlyContain(c => int.Parse(c) % 1000 == 0);
        (await Shell.OkAsync("sqlite3 db.sqlite 'PRAGMA journal_mode; PRAGMA integrity_check; SELECT count(*), sum(id), count(DISTINCT name) FROM t;'", dir))
            .Should().Be("wal\nok\n10000|50005000|10000");
    }

    [Fact]
    public async Task Tar_TreeIntoMountAndBack_ByteIdentical()
    {
        var source = fx.Outside("tar-source");
        var back = fx.Outside("tar-back");
        var inside = fx.Inside("tar");
        await SampleTree.WriteWithExtrasAsync(source, seed: 2);

        // The pax format carries nanosecond mtimes (the default GNU format keeps whole seconds).
        await Shell.OkAsync($"tar -C {source} --format=posix -cf - . | tar -C {inside} -xpf -");
        await Shell.OkAsync($"tar -C {inside} --format=posix -cf - . | tar -C {back} -xpf -");

        (await Shell.RunAsync($"diff -r --no-dereference -x pipe {source} {back}")).Should().Be(new CommandResult(0, "", ""));
        (await SampleTree.ListingAsync(inside)).Should().Be(await SampleTree.ListingAsync(source));
        (await SampleTree.ListingAsync(back)).Should().Be(await SampleTree.ListingAsync(source));

        // The same archive from both trees, byte for byte: contents, modes, owners, times, links and hard links alike.
        var archive = "tar --sort=name --format=gnu --numeric-owner -cf - . | sha256sum";
        (await Shell.OkAsync(archive, inside)).Should().Be(await Shell.OkAsync(archive, source));
        (await Shell.OkAsync("stat -c %h hardlink.dat", inside)).Should().Be("2");
    }

    [Fact]
    public async Task Rsync_Archive_PreservesModesOwnersAndTimes()
    {
        var source = fx.Outside("rsync-source");
        var inside = fx.Inside("rsync");
        await SampleTree.WriteWithExtrasAsync(source, seed: 3);

        await Shell.OkAsync($"rsync -a {source}/ {inside}/");

        (await SampleTree.ListingAsync(inside)).Should().Be(await SampleTree.ListingAsync(source));
        (await Shell.OkAsync($"rsync -a --dry-run --itemize-changes {source}/ {inside}/")).Should().BeEmpty("rsync sees nothing left to copy");
        (await Shell.RunAsync($"diff -r --no-dereference -x pipe {source} {inside}")).ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task CpArchive_IntoMountAndBack_PreservesModesOwnersAndTimes()
    {
        var source = fx.Outside("cp-source");
        var back = fx.Outside("cp-back");
        var inside = fx.Inside("cp");
        await SampleTree.WriteWithExtrasAsync(source, seed: 4);

        await Shell.OkAsync($"cp -a {source}/. {inside}/");
        await Shell.OkAsync($"cp -a {inside}/. {back}/");

        var expected = await SampleTree.ListingAsync(source);
        (await SampleTree.ListingAsync(inside)).Should().Be(expected);
        (await SampleTree.ListingAsync(back)).Should().Be(expected);
        (await Shell.RunAsync($"diff -r --no-dereference -x pipe {source} {back}")).ExitCode.Should().Be(0);
    }

    /// <summary>Seed 002 in another process: write(), read through a shared mapping, write through it, read(); and back.</summary>
    [Fact]
    public async Task Mmap_WriteReadBothWaysInAnotherProcess_Agree()
    {
        var path = Path.Combine(fx.Inside("mmap"), "mapped.bin");

        var said = await Shell.OkAsync($"python3 - {path}", input: MmapScript);

        said.Should().Be("agree");
        var expected = MmapExpected();
        (await File.ReadAllBytesAsync(path)).Should().Equal(expected, "what a later open reads");
        (await Shell.OkAsync($"sha256sum {path} | cut -d' ' -f1")).Should().Be(Convert.ToHexStringLower(SHA256.HashData(expected)));
    }

    [Fact]
    public async Task RenamesAndAppends_FromSeveralProcessesAtOnce_LoseNothing()
    {
        var dir = fx.Inside("concurrent");

        // 4 appenders open the log with O_APPEND per line; 3 movers shuttle their own files between a/ and b/; 3 contenders
        // race to rename one token file, so at any moment at most one of them holds it.
        await Shell.OkAsync(
            """
            mkdir a b
            for p in 1 2 3; do for f in $(seq 1 20); do echo "mover $p file $f" > a/m$p-$f; done; done
            echo token > token
            for p in 1 2 3 4; do (for i in $(seq 1 300); do echo "appender $p line $i" >> log; done) & done
            for p in 1 2 3; do (for r in $(seq 1 15); do for f in $(seq 1 20); do
              if [ -e a/m$p-$f ]; then mv a/m$p-$f b/m$p-$f; else mv b/m$p-$f a/m$p-$f; fi
            done; done) & done
            for p in 1 2 3; do (for r in $(seq 1 150); do
              if mv -T token token.$p 2>/dev/null; then mv -T token.$p token; fi
            done) & done
            wait
            """,
            dir);

        var lines = await File.ReadAllLinesAsync(Path.Combine(dir, "log"));
        lines.Should().HaveCount(1200).And.OnlyHaveUniqueItems();
        foreach (var p in Enumerable.Range(1, 4))
            lines.Where(l => l.StartsWith($"appender {p} ", StringComparison.Ordinal)).Should().Equal(Enumerable.Range(1, 300).Select(i => $"appender {p} line {i}"));
        foreach (var (p, f) in Enumerable.Range(1, 3).SelectMany(p => Enumerable.Range(1, 20).Select(f => (p, f))))
        {
            string[] places = [Path.Combine(dir, "a", $"m{p}-{f}"), Path.Combine(dir, "b", $"m{p}-{f}")];
            places.Count(File.Exists).Should().Be(1, $"m{p}-{f} exists in exactly one place");
            (await File.ReadAllTextAsync(places.Single(File.Exists))).Should().Be($"mover {p} file {f}\n");
        }

        Directory.EnumerateFiles(dir, "token*").Select(Path.GetFileName).Should().Equal("token");
        (await File.ReadAllTextAsync(Path.Combine(dir, "token"))).Should().Be("token\n");
        Directory.EnumerateFiles(Path.Combine(dir, "a")).Count().Should().Be(60 - Directory.EnumerateFiles(Path.Combine(dir, "b")).Count());
    }

    /// <summary>flock and fcntl byte-range locks are the kernel's, local to this machine, until the origin takes them.</summary>
    [Fact]
    public async Task Locks_FlockAndFcntlHeldByOneProcess_OthersSeeThemBusy()
    {
        var dir = fx.Inside("locks");

        var flock = await Shell.OkAsync("touch f; exec 9>f; flock -x 9; if flock -n -x f -c true; then echo got; else echo busy; fi", dir);
        var fcntl = await Shell.OkAsync($"python3 - {dir}/f", input: FcntlScript);

        flock.Should().Be("busy");
        fcntl.Should().Be("held range busy\nother range free");
    }

    private const string MmapScript = """
        import mmap, os, sys
        path = sys.argv[1]
        size = 64 * 1024
        data = bytes((i * 7 + 3) % 251 for i in range(size))
        patch = bytes((i * 13 + 5) % 241 for i in range(5000))
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        assert os.write(fd, data) == size
        m = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        assert m[:] == data, "the mapping shows what write() wrote"
        m[3000:8000] = patch
        m.flush()
        expected = bytearray(data)
        expected[3000:8000] = patch
        def from_the_mount():
            # O_DIRECT bypasses the page cache: these are the bytes the cachefs process holds.
            direct = os.open(path, os.O_RDONLY | os.O_DIRECT)
            buffer = mmap.mmap(-1, size)
            n = os.preadv(direct, [buffer], 0)
            os.close(direct)
            return bytes(buffer[:n])
        assert from_the_mount() == bytes(expected), "msync carried the mapping's write to the file system"
        assert os.pread(fd, size, 0) == bytes(expected), "read() shows what the mapping wrote"
        os.pwrite(fd, bytes(range(1, 17)), 40000)
        expected[40000:40016] = bytes(range(1, 17))
        assert m[:] == bytes(expected), "the mapping shows a later write()"
        m.close()
        os.fsync(fd)
        os.close(fd)
        fd = os.open(path, os.O_RDONLY)
        assert os.read(fd, size + 1) == bytes(expected), "a new open reads both"
        os.close(fd)
        assert from_the_mount() == bytes(expected), "the file system holds both"
        print("agree")
        """;

    private const string FcntlScript = """
        import fcntl, os, subprocess, sys
        fd = os.open(sys.argv[1], os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, 0)
        other = "\n".join([
            "import errno, fcntl, os, sys",
            "fd = os.open(sys.argv[1], os.O_RDWR)",
            "for start, name in ((0, 'held'), (20, 'other')):",
            "    try:",
            "        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 10, start)",
            "        print(name, 'range free')",
            "    except OSError as e:",
            "        print(name, 'range busy' if e.errno in (errno.EAGAIN, errno.EACCES) else e)",
        ])
        print(subprocess.run([sys.executable, "-c", other, sys.argv[1]], capture_output=True, text=True, check=True).stdout, end="")
        """;

    private static byte[] MmapExpected()
    {
        var expected = Enumerable.Range(0, 64 * 1024).Select(i => (byte)(((i * 7) + 3) % 251)).ToArray();
        Enumerable.Range(0, 5000).Select(i => (byte)(((i * 13) + 5) % 241)).ToArray().CopyTo(expected, 3000);
        Enumerable.Range(1, 16).Select(i => (byte)i).ToArray().CopyTo(expected, 40000);
        return expected;
    }
}
