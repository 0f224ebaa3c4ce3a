using CacheFs.Nodes;
using CacheFs.Tests.Volume;
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

    public long MakeFile(string name, byte[]? content = null, long parent = NodeIds.Root) => Volume.MakeFile(name, content, parent);

    public long MakeDir(string name, long parent = NodeIds.Root) => Volume.MakeDir(name, parent);

    public byte[] ReadAll(long id) => Volume.ReadAll(id);

    public IReadOnlyList<string> List(long directory = NodeIds.Root) => Volume.List(directory);

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
