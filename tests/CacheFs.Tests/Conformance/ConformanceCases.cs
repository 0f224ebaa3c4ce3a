using CacheFs.Nodes;

namespace CacheFs.Tests.Conformance;

/// <summary>
/// POSIX behaviour a user relies on, written once against <see cref="IFileSystemDriver"/> and run against the core
/// in-process (<see cref="CoreConformanceTests"/>) and through a real FUSE mount (<see cref="FuseConformanceTests"/>).
/// Every case works in its own fresh, empty directory. The expectations are Linux's: run through <see cref="MountDriver"/>
/// on a plain ext4 directory, every case passes except the 64 KiB xattr value (ext4 keeps a value in one 4 KiB block;
/// 64 KiB is the VFS limit, which the core follows).
/// </summary>
public abstract partial class ConformanceCases : IDisposable
{
    /// <summary>2001-01-01T00:00:00.123456789Z: cases set times to it, then see whether an operation moves them.</summary>
    private static readonly Timestamp Past = Timestamp.FromUnix(978_307_200, 123_456_789);

    private protected ConformanceCases(IFileSystemDriver fs) => Fs = fs;

    private protected IFileSystemDriver Fs { get; }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
            Fs.Dispose();
    }

    private static uint Mode(string octal) => Convert.ToUInt32(octal, 8);

    private static byte[] Bytes(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private int OpenOk(string path, OpenMode mode, uint permissions = 0x1A4)
    {
        var opened = Fs.Open(path, mode, permissions);
        opened.Status.Should().Be(FsStatus.Ok, "opening {0} with {1} should work", path, mode);
        return opened.Value;
    }

    private void MakeFile(string path, byte[]? content = null, uint permissions = 0x1A4)
    {
        var handle = OpenOk(path, OpenMode.Write | OpenMode.Create | OpenMode.Exclusive, permissions);
        if (content is not null)
            WriteAt(handle, 0, content);
        Fs.Close(handle).Should().Be(FsStatus.Ok);
    }

    private void WriteAt(int handle, long offset, byte[] data)
    {
        var written = Fs.Write(handle, offset, data);
        written.Status.Should().Be(FsStatus.Ok);
        written.Value.Should().Be(data.Length);
    }

    /// <summary>Up to <paramref name="count"/> bytes: fewer only where the file ends.</summary>
    private byte[] ReadAt(int handle, long offset, int count)
    {
        var buffer = new byte[count];
        var read = Fs.Read(handle, offset, buffer);
        read.Status.Should().Be(FsStatus.Ok);
        return buffer[..read.Value];
    }

    private byte[] ReadAll(string path)
    {
        var handle = OpenOk(path, OpenMode.Read);
        try
        {
            using var all = new MemoryStream();
            for (long offset = 0; ;)
            {
                var chunk = ReadAt(handle, offset, 1 << 20);
                if (chunk.Length == 0)
                    return all.ToArray();
                all.Write(chunk);
                offset += chunk.Length;
            }
        }
        finally
        {
            Fs.Close(handle).Should().Be(FsStatus.Ok);
        }
    }

    private FileStat StatOk(string path)
    {
        var stat = Fs.Stat(path);
        stat.Status.Should().Be(FsStatus.Ok, "{0} should exist", path);
        return stat.Value;
    }

    private FileStat StatOk(int handle)
    {
        var stat = Fs.StatHandle(handle);
        stat.Status.Should().Be(FsStatus.Ok);
        return stat.Value;
    }

    private IReadOnlyList<string> List(string path = "")
    {
        var names = Fs.ReadDirectory(path);
        names.Status.Should().Be(FsStatus.Ok, "{0} should list", path);
        return names.Value;
    }

    /// <summary>Sets atime and mtime to <see cref="Past"/> and lets the clock move, so any later change of a time shows.</summary>
    private FileStat Backdate(string path)
    {
        Fs.SetTimes(path, Past, Past).Should().Be(FsStatus.Ok);
        Fs.LetTimePass();
        return StatOk(path);
    }
}
