using CacheFs.Nodes;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Tests;

/// <summary>A volume on a fresh temporary cache directory, removed on dispose.</summary>
public sealed class TestVolume : IDisposable
{
    public static readonly NewNode Owner = new(Convert.ToUInt32("644", 8), 1000, 1000);
    public static readonly NewNode DirOwner = new(Convert.ToUInt32("755", 8), 1000, 1000);

    public TestVolume(bool caseSensitive = true, string? directory = null, TimeProvider? time = null)
    {
        Directory = directory ?? Path.Combine(Path.GetTempPath(), "cachefs-test-" + Guid.NewGuid().ToString("N"));
        Options = new VolumeOptions { CacheDirectory = Directory, CaseSensitive = caseSensitive };
        Time = time ?? TimeProvider.System;
        Volume = CacheVolume.Open(Options, Logger, Time);
    }

    public TimeProvider Time { get; }

    public static ILogger Logger { get; } = new LoggerConfiguration().CreateLogger();

    public string Directory { get; }

    public VolumeOptions Options { get; }

    public CacheVolume Volume { get; private set; }

    /// <summary>Closes and reopens the volume on the same directory, as a remount would.</summary>
    public void Reopen()
    {
        Volume.Dispose();
        Volume = CacheVolume.Open(Options, Logger, Time);
    }

    public long MakeFile(string name, byte[]? content = null, long parent = NodeIds.Root)
    {
        var created = Volume.Create(parent, name, Owner, OpenFlags.ReadWrite, exclusive: true);
        created.Status.Should().Be(FsStatus.Ok);
        if (content is not null)
            Volume.Write(created.Value.Handle, 0, content).Status.Should().Be(FsStatus.Ok);
        Volume.Release(created.Value.Handle).Should().Be(FsStatus.Ok);
        return created.Value.Attributes.Id;
    }

    public long MakeDir(string name, long parent = NodeIds.Root)
    {
        var made = Volume.MakeDirectory(parent, name, DirOwner);
        made.Status.Should().Be(FsStatus.Ok);
        return made.Value.Id;
    }

    public byte[] ReadAll(long id)
    {
        var open = Volume.Open(id, OpenFlags.Read);
        open.Status.Should().Be(FsStatus.Ok);
        try
        {
            var buffer = new byte[open.Value.Attributes.Size];
            var read = Volume.Read(open.Value.Handle, 0, buffer);
            read.Status.Should().Be(FsStatus.Ok);
            return buffer[..read.Value];
        }
        finally
        {
            Volume.Release(open.Value.Handle);
        }
    }

    public IReadOnlyList<string> List(long directory = NodeIds.Root)
    {
        var names = new List<string>();
        long cookie = 0;
        while (true)
        {
            var page = Volume.ReadDirectory(directory, cookie, 100);
            page.Status.Should().Be(FsStatus.Ok);
            if (page.Value.Count == 0)
                return names;
            names.AddRange(page.Value.Select(e => e.Name));
            cookie = page.Value[^1].Cookie;
        }
    }

    public void Dispose()
    {
        Volume.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
