using System.IO.MemoryMappedFiles;
using System.Runtime;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;

namespace CacheFs.Tests.Hosts.Fuse;

/// <summary>Ordinary file I/O through the kernel on a real mount of a volume: System.IO and standard programs.</summary>
[SupportedOSPlatform("linux")]
public sealed class FuseMountTests(FuseMountFixture fx) : IClassFixture<FuseMountFixture>
{
    [Fact]
    public void WriteAllBytes_ThenRead_RoundTripsThroughTheKernel()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(WriteAllBytes_ThenRead_RoundTripsThroughTheKernel)), "data.bin");
        var data = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 123);

        File.WriteAllBytes(path, data);

        File.ReadAllBytes(path).Should().Equal(data);
        new FileInfo(path).Length.Should().Be(data.Length);
    }

    [Fact]
    public void Append_SeveralOpens_KeepsEveryLineInOrder()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(Append_SeveralOpens_KeepsEveryLineInOrder)), "log.txt");
        var lines = Enumerable.Range(0, 50).Select(i => $"line {i}").ToArray();

        foreach (var line in lines)
            File.AppendAllText(path, line + "\n");
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write))
            stream.Write("last\n"u8);

        File.ReadAllLines(path).Should().Equal([.. lines, "last"]);
    }

    [Fact]
    public void Append_FourProcessesAtOnce_LosesNoLine()
    {
        var dir = fx.NewDirectory(nameof(Append_FourProcessesAtOnce_LosesNoLine));

        // Each process opens with O_APPEND once per line; the core decides EOF under the file's size lock.
        Shell.Ok("for p in 1 2 3 4; do (for i in $(seq 1 250); do echo \"writer $p line $i\" >> log; done) & done; wait", dir);

        var lines = File.ReadAllLines(Path.Combine(dir, "log"));
        lines.Should().HaveCount(1000).And.OnlyHaveUniqueItems();
        lines.Should().OnlyContain(line => line.StartsWith("writer ", StringComparison.Ordinal));
        foreach (var p in Enumerable.Range(1, 4))
            lines.Where(l => l.StartsWith($"writer {p} ", StringComparison.Ordinal)).Should().Equal(Enumerable.Range(1, 250).Select(i => $"writer {p} line {i}"));
    }

    [Fact]
    public void SetLength_ShrinkThenGrow_ReadsZerosPastTheCut()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(SetLength_ShrinkThenGrow_ReadsZerosPastTheCut)), "f.bin");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)0xAB, 10_000).ToArray());

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.SetLength(100);
            stream.SetLength(5_000);
        }

        var bytes = File.ReadAllBytes(path);
        bytes.Should().HaveCount(5_000);
        bytes[..100].Should().OnlyContain(b => b == 0xAB);
        bytes[100..].Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public void OpenWithTruncate_ExistingFile_StartsEmpty()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(OpenWithTruncate_ExistingFile_StartsEmpty)), "f.txt");
        File.WriteAllText(path, "a much longer first version");

        File.WriteAllText(path, "short");

        File.ReadAllText(path).Should().Be("short");
    }

    [Fact]
    public void CreateNew_ExistingName_FailsWithExists()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(CreateNew_ExistingName_FailsWithExists)), "f.txt");
        File.WriteAllText(path, "x");

        var act = () => new FileStream(path, FileMode.CreateNew).Dispose();

        act.Should().Throw<IOException>();
    }

    [Fact]
    public void Move_FilesAndDirectories_RenamesAndReplaces()
    {
        var dir = fx.NewDirectory(nameof(Move_FilesAndDirectories_RenamesAndReplaces));
        File.WriteAllText(Path.Combine(dir, "a"), "A");
        File.WriteAllText(Path.Combine(dir, "b"), "B");
        Directory.CreateDirectory(Path.Combine(dir, "sub/inner"));
        File.WriteAllText(Path.Combine(dir, "sub/inner/f"), "F");

        File.Move(Path.Combine(dir, "a"), Path.Combine(dir, "b"), overwrite: true);
        Directory.Move(Path.Combine(dir, "sub"), Path.Combine(dir, "moved"));

        File.Exists(Path.Combine(dir, "a")).Should().BeFalse();
        File.ReadAllText(Path.Combine(dir, "b")).Should().Be("A");
        File.ReadAllText(Path.Combine(dir, "moved/inner/f")).Should().Be("F");
        Directory.Exists(Path.Combine(dir, "sub")).Should().BeFalse();
    }

    [Fact]
    public void Renameat2_NoReplaceAndExchange_FollowTheFlags()
    {
        var dir = fx.NewDirectory(nameof(Renameat2_NoReplaceAndExchange_FollowTheFlags));
        var (a, b) = (Path.Combine(dir, "a"), Path.Combine(dir, "b"));
        File.WriteAllText(a, "A");
        File.WriteAllText(b, "B");

        Shell.Rename2(a, b, flags: 1).Should().Be(17, "RENAME_NOREPLACE onto an existing name is EEXIST");
        Shell.Rename2(a, b, flags: 2).Should().Be(0, "RENAME_EXCHANGE swaps two existing names");

        File.ReadAllText(a).Should().Be("B");
        File.ReadAllText(b).Should().Be("A");
    }

    [Fact]
    public void Directories_CreateNestedAndRemove_FollowPosixRules()
    {
        var dir = fx.NewDirectory(nameof(Directories_CreateNestedAndRemove_FollowPosixRules));
        var nested = Directory.CreateDirectory(Path.Combine(dir, "x/y/z")).FullName;
        File.WriteAllText(Path.Combine(nested, "f"), "f");

        var removeNonEmpty = () => Directory.Delete(Path.Combine(dir, "x"));
        removeNonEmpty.Should().Throw<IOException>();

        Directory.Delete(Path.Combine(dir, "x"), recursive: true);
        Directory.Exists(Path.Combine(dir, "x")).Should().BeFalse();
        Directory.EnumerateFileSystemEntries(dir).Should().BeEmpty();
    }

    [Fact]
    public void EnumerateFiles_TwoThousandEntries_ListsEachExactlyOnce()
    {
        var dir = fx.NewDirectory(nameof(EnumerateFiles_TwoThousandEntries_ListsEachExactlyOnce));
        var names = Enumerable.Range(0, 2000).Select(i => $"file-{i:D5}-{new string('n', i % 40)}").ToArray();
        foreach (var name in names)
            File.Create(Path.Combine(dir, name)).Dispose();

        var listed = Directory.EnumerateFiles(dir).Select(Path.GetFileName).ToList();

        listed.Should().HaveCount(2000).And.OnlyHaveUniqueItems();
        listed.Should().BeEquivalentTo(names);
        Shell.Ok("ls -a | head -2", dir).Split('\n').Should().Equal(".", "..");
        Shell.Ok("ls -f | wc -l", dir).Should().Be("2002");
    }

    [Fact]
    public void Symlink_Created_ResolvesToItsTarget()
    {
        var dir = fx.NewDirectory(nameof(Symlink_Created_ResolvesToItsTarget));
        File.WriteAllText(Path.Combine(dir, "target.txt"), "through the link");

        var link = File.CreateSymbolicLink(Path.Combine(dir, "link"), "target.txt");

        new FileInfo(link.FullName).LinkTarget.Should().Be("target.txt");
        File.ReadAllText(link.FullName).Should().Be("through the link");
        Shell.Ok("stat -c %F link", dir).Should().Be("symbolic link");
    }

    /// <summary>Both names are one kernel inode: its link count, size and pages are the same whichever name is used.</summary>
    [Fact]
    public void HardLink_TwoNames_ShareInodeAndContent()
    {
        var dir = fx.NewDirectory(nameof(HardLink_TwoNames_ShareInodeAndContent));
        File.WriteAllText(Path.Combine(dir, "first"), "shared");
        Shell.Ok("stat -c %h first", dir).Should().Be("1");

        Shell.Ok("ln first second", dir);
        File.AppendAllText(Path.Combine(dir, "second"), " and changed");

        Shell.Ok("stat -c %i first", dir).Should().Be(Shell.Ok("stat -c %i second", dir));
        Shell.Ok("stat -c %h:%s first second", dir).Split('\n').Should().Equal("2:18", "2:18");
        File.ReadAllText(Path.Combine(dir, "first")).Should().Be("shared and changed");
        File.Delete(Path.Combine(dir, "first"));
        Shell.Ok("stat -c %h second", dir).Should().Be("1");
        File.ReadAllText(Path.Combine(dir, "second")).Should().Be("shared and changed");
        fx.Volume.Volume.Resolve($"/{nameof(HardLink_TwoNames_ShareInodeAndContent)}/second").Value.LinkCount.Should().Be(1);
    }

    [Fact]
    public void SetUnixFileMode_Chmod_ShowsInStat()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(SetUnixFileMode_Chmod_ShowsInStat)), "script.sh");
        File.WriteAllText(path, "#!/bin/sh\necho ran\n");

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead);
        Shell.Ok($"'{path}'").Should().Be("ran");
    }

    [Fact]
    public void Create_UmaskAndSetgidDirectory_ShapeModeAndGroup()
    {
        var dir = fx.NewDirectory(nameof(Create_UmaskAndSetgidDirectory_ShapeModeAndGroup));
        Shell.Ok("mkdir shared && chgrp 4321 shared && chmod 2775 shared", dir);

        Shell.Ok("umask 027 && touch plain && mkdir shared/sub && touch shared/f", dir);

        Shell.Ok("stat -c %a plain", dir).Should().Be("640");
        Shell.Ok("stat -c %g shared/f", dir).Should().Be("4321", "a file in a setgid directory takes the directory's group");
        Shell.Ok("stat -c %g:%a shared/sub", dir).Should().Be("4321:2750", "a subdirectory also inherits the setgid bit");
    }

    [Fact]
    public void Chown_NewOwner_ShowsInStat()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(Chown_NewOwner_ShowsInStat)), "f");
        File.WriteAllText(path, "x");

        Shell.Ok($"chown 1234:5678 '{path}'");

        Shell.Ok($"stat -c %u:%g '{path}'").Should().Be("1234:5678");
    }

    [Fact]
    public void SetLastWriteTime_Utimens_KeepsTheTime()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(SetLastWriteTime_Utimens_KeepsTheTime)), "f");
        File.WriteAllText(path, "x");
        var when = new DateTime(2021, 3, 4, 5, 6, 7, DateTimeKind.Utc).AddTicks(1234567);

        File.SetLastWriteTimeUtc(path, when);
        Shell.Ok($"touch -a -d '2020-01-01 00:00:00Z' '{path}'");

        File.GetLastWriteTimeUtc(path).Should().Be(when);
        Shell.Ok($"stat -c %X '{path}'").Should().Be("1577836800");
    }

    [Fact]
    public void Xattrs_SetGetListRemove_WorkThroughAttrTools()
    {
        Shell.Exists("setfattr").Should().BeTrue("scripts/setup.sh installs the attr package");
        var path = Path.Combine(fx.NewDirectory(nameof(Xattrs_SetGetListRemove_WorkThroughAttrTools)), "f");
        File.WriteAllText(path, "x");

        Shell.Ok($"setfattr -n user.colour -v blue '{path}'");
        Shell.Ok($"setfattr -n user.size -v 0x{Convert.ToHexString(RandomNumberGenerator.GetBytes(3000))} '{path}'");

        Shell.Ok($"getfattr --only-values -n user.colour '{path}'").Should().Be("blue");
        Shell.Ok($"getfattr --absolute-names -d '{path}'").Should().Contain("user.colour=\"blue\"").And.Contain("user.size=");
        Shell.Ok($"setfattr -x user.colour '{path}'");
        var missing = Shell.Run($"getfattr -n user.colour '{path}'");
        missing.ExitCode.Should().NotBe(0);
        missing.Error.Should().Contain("No such attribute");
    }

    /// <summary>The kernel would hand ACLs over as plain xattrs and leave the mode to us; we support neither, so we refuse them.</summary>
    [Fact]
    public void Xattrs_PosixAcl_NotSupported()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(Xattrs_PosixAcl_NotSupported)), "f");
        File.WriteAllText(path, "x");

        // A valid access ACL for mode 0644: version 2, then user::rw-, group::r--, other::r--.
        var refused = Shell.Run($"setfattr -n system.posix_acl_access -v 0x02000000010006000000000004000400000000002000040000000000 '{path}'");

        refused.ExitCode.Should().NotBe(0);
        refused.Error.Should().Contain("Operation not supported");
        Shell.Ok($"getfattr --absolute-names -d -m - '{path}'").Should().NotContain("posix_acl");
    }

    [Fact]
    public void DriveInfo_Statfs_ReportsSizesAndType()
    {
        var drive = new DriveInfo(fx.MountPoint);

        drive.TotalSize.Should().BePositive();
        drive.AvailableFreeSpace.Should().BePositive().And.BeLessThanOrEqualTo(drive.TotalSize);
        drive.DriveFormat.Should().Be("fuse.cachefs");
        Shell.Ok($"stat -f -c %l '{fx.MountPoint}'").Should().Be("255");
    }

    [Fact]
    public void Fallocate_ExtendAndPunchHole_ChangeSizeAndContent()
    {
        var dir = fx.NewDirectory(nameof(Fallocate_ExtendAndPunchHole_ChangeSizeAndContent));
        File.WriteAllBytes(Path.Combine(dir, "f"), Enumerable.Repeat((byte)7, 8192).ToArray());

        Shell.Ok("fallocate -l 1048576 f", dir);
        Shell.Ok("fallocate -p -o 0 -l 4096 f", dir);

        var bytes = File.ReadAllBytes(Path.Combine(dir, "f"));
        bytes.Should().HaveCount(1 << 20);
        bytes[..4096].Should().OnlyContain(b => b == 0);
        bytes[4096..8192].Should().OnlyContain(b => b == 7);
    }

    [Fact]
    public void CopyFileRange_Cp_CopiesEveryByte()
    {
        var dir = fx.NewDirectory(nameof(CopyFileRange_Cp_CopiesEveryByte));
        var data = RandomNumberGenerator.GetBytes((5 << 20) + 17);
        File.WriteAllBytes(Path.Combine(dir, "src"), data);

        Shell.Ok("cp src dst", dir);

        File.ReadAllBytes(Path.Combine(dir, "dst")).Should().Equal(data);
    }

    [Fact]
    public void Mkfifo_Mknod_CreatesAFifo()
    {
        var dir = fx.NewDirectory(nameof(Mkfifo_Mknod_CreatesAFifo));

        Shell.Ok("mkfifo pipe", dir);

        Shell.Ok("stat -c %F pipe", dir).Should().Be("fifo");
    }

    [Fact]
    public void Delete_WhileOpen_StaysReadableThroughTheHandle()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(Delete_WhileOpen_StaysReadableThroughTheHandle)), "f");
        File.WriteAllText(path, "still here");

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read))
        {
            File.Delete(path);
            File.Exists(path).Should().BeFalse();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            reader.ReadToEnd().Should().Be("still here");
        }

        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void FlushToDisk_Fsync_Succeeds()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(FlushToDisk_Fsync_Succeeds)), "f");

        using (var stream = new FileStream(path, FileMode.Create))
        {
            stream.Write("durable"u8);
            stream.Flush(flushToDisk: true);
        }

        Shell.Ok($"sync '{path}'");
        File.ReadAllText(path).Should().Be("durable");
    }

    /// <summary>
    /// Seed 002: writes with write(), reads through a shared mapping, writes through it, reads with read(); both views
    /// must agree. The mapping is touched from managed code in the process that hosts the mount, so no garbage
    /// collection may start meanwhile (see <see cref="CacheFs.Hosts.Fuse.FuseMount"/>).
    /// </summary>
    [Fact]
    public void MemoryMappedFile_WriteAndReadBothWays_Agree()
    {
        var path = Path.Combine(fx.NewDirectory(nameof(MemoryMappedFile_WriteAndReadBothWays_Agree)), "mapped.bin");
        var written = RandomNumberGenerator.GetBytes(64 * 1024);
        var patch = RandomNumberGenerator.GetBytes(5000);
        File.WriteAllBytes(path, written);
        var seen = new byte[written.Length];
        var afterStreamWrite = new byte[16];

        GC.Collect();
        GC.TryStartNoGCRegion(200_000_000).Should().BeTrue();
        try
        {
            using var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
            using var view = map.CreateViewAccessor(0, written.Length);
            view.ReadArray(0, seen, 0, seen.Length);
            view.WriteArray(3000, patch, 0, patch.Length);
            view.Flush();

            // A write() while the mapping is open must show through it as well.
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                stream.Position = 40_000;
                stream.Write(new byte[16] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 });
            }

            view.ReadArray(40_000, afterStreamWrite, 0, afterStreamWrite.Length);
        }
        finally
        {
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
        }

        seen.Should().Equal(written);
        afterStreamWrite.Should().Equal(Enumerable.Range(1, 16).Select(i => (byte)i));
        var expected = written.ToArray();
        patch.CopyTo(expected, 3000);
        afterStreamWrite.CopyTo(expected, 40_000);
        File.ReadAllBytes(path).Should().Equal(expected);
    }
}
