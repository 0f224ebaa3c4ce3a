using CacheFs.Nodes;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Benchmarks;

/// <summary>A volume on a fresh temporary cache directory, for one benchmark class.</summary>
internal sealed class BenchVolume : IDisposable
{
    public static readonly NewNode Owner = new(Convert.ToUInt32("644", 8), 1000, 1000);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cachefs-bench-" + Guid.NewGuid().ToString("N"));

    public BenchVolume() =>
        Volume = CacheVolume.Open(new VolumeOptions { CacheDirectory = _directory }, new LoggerConfiguration().CreateLogger());

    public CacheVolume Volume { get; }

    public long MakeDirectory(string name) => Volume.MakeDirectory(NodeIds.Root, name, Owner with { Mode = Convert.ToUInt32("755", 8) }).Value.Id;

    public long MakeFile(long parent, string name)
    {
        var created = Volume.Create(parent, name, Owner, OpenFlags.ReadWrite, exclusive: true).Value;
        Volume.Release(created.Handle);
        return created.Attributes.Id;
    }

    public void Dispose()
    {
        Volume.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
