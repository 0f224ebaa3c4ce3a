using CacheFs.Tests;
using CacheFs.Hosts.WinFsp;
using CacheFs.Nodes;
using Fsp;
using FileInfo = Fsp.Interop.FileInfo;

namespace CacheFs.WinFsp.Tests.Hosts.WinFsp;

/// <summary>
/// A <see cref="WinFspFileSystem"/> over a fresh case-insensitive volume (as a Windows cache is created), called as
/// WinFsp's dispatcher calls it: by name for Create and Open, by the open object for the rest. Buffers are pinned managed
/// arrays standing in for the request buffers WinFsp passes.
/// </summary>
internal sealed unsafe class WinFspHarness : IDisposable
{
    public const uint ReadData = 0x0001;
    public const uint WriteData = 0x0002;
    public const uint AppendData = 0x0004;
    public const uint ReadWrite = ReadData | WriteData | AppendData;
    public const uint DirectoryFile = 0x0000_0001;
    public const uint NonDirectoryFile = 0x0000_0040;

    public WinFspHarness(bool caseSensitive = false, TimeProvider? time = null, IReadReplies? replies = null)
    {
        Volume = new TestVolume(caseSensitive, time: time);
        Fs = new WinFspFileSystem(Volume.Volume, TestVolume.Logger, replies);
    }

    public TestVolume Volume { get; }

    public WinFspFileSystem Fs { get; }

    public object Create(string name, uint access = ReadWrite, uint attributes = 0, ulong allocation = 0) =>
        Ok(CreateStatus(name, access, out var file, attributes: attributes, allocation: allocation), file);

    public object MakeDirectory(string name) => Ok(CreateStatus(name, ReadData, out var file, options: DirectoryFile), file);

    public int CreateStatus(string name, uint access, out object file, uint options = 0, uint attributes = 0, ulong allocation = 0) =>
        Fs.Create(name, options, access, attributes, null!, allocation, out file, out _, out _, out _);

    public object Open(string name, uint access = ReadWrite) => Ok(OpenStatus(name, access, out var file, out _), file);

    public int OpenStatus(string name, uint access, out object file, out string normalized, uint options = 0) =>
        Fs.Open(name, options, access, out file, out _, out _, out normalized);

    /// <summary>CloseHandle as WinFsp passes it on: Cleanup with the flags given, then Close.</summary>
    public void Close(object file, string name = "", uint cleanupFlags = 0)
    {
        if (cleanupFlags != 0)
            Fs.Cleanup(file, file, name, cleanupFlags);
        Fs.Close(file, file);
    }

    public uint Write(object file, long offset, byte[] data, bool toEnd = false, bool constrained = false)
    {
        fixed (byte* bytes = data)
        {
            Fs.Write(file, file, (nint)bytes, (ulong)offset, (uint)data.Length, toEnd, constrained, out var written, out _)
                .Should().Be(NtStatus.Success);
            return written;
        }
    }

    public int ReadStatus(object file, long offset, byte[] buffer, out uint read)
    {
        fixed (byte* bytes = buffer)
            return Fs.Read(file, file, (nint)bytes, (ulong)offset, (uint)buffer.Length, out read);
    }

    public byte[] ReadAll(object file)
    {
        var size = Info(file).FileSize;
        var buffer = new byte[size];
        if (size > 0)
        {
            ReadStatus(file, 0, buffer, out var read).Should().Be(NtStatus.Success);
            read.Should().Be((uint)size);
        }

        return buffer;
    }

    public FileInfo Info(object file)
    {
        Fs.GetFileInfo(file, file, out var info).Should().Be(NtStatus.Success);
        return info;
    }

    /// <summary>Every name ReadDirectory gives, as the kernel asks: pages of <paramref name="page"/>, each after the last name of the one before.</summary>
    public List<string> List(object directory, string? pattern = null, int page = 128, Action<string>? betweenPages = null)
    {
        var names = new List<string>();
        string? marker = null;
        while (true)
        {
            object context = null!;
            var got = 0;
            while (got < page && Fs.ReadDirectoryEntry(directory, directory, pattern!, marker!, ref context, out var name, out _))
            {
                names.Add(name);
                got++;
            }

            if (got == 0)
                return names;
            marker = names[^1];
            betweenPages?.Invoke(marker);
        }
    }

    public void Dispose()
    {
        Fs.Dispose();
        Volume.Dispose();
    }

    public static Timestamp TimeOf(ulong fileTime) => Timestamp.FromFileTime((long)fileTime);

    private static object Ok(int status, object file)
    {
        status.Should().Be(FileSystemBase.STATUS_SUCCESS);
        return file;
    }
}
