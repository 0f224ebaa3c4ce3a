using BenchmarkDotNet.Attributes;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Benchmarks;

/// <summary>Namespace operations of the core, in-process: what a FUSE or WinFsp callback costs before the kernel.</summary>
[Config(typeof(CoreConfig))]
public class MetadataBenchmarks
{
    private const int Batch = 1000;
    private BenchVolume _bench = null!;
    private long _dir;
    private long _file;
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchVolume();
        _dir = _bench.MakeDirectory("work");
        for (var i = 0; i < 1000; i++)
            _bench.MakeFile(_dir, "existing-" + i);
        _file = _bench.Volume.Lookup(_dir, "existing-500").Value.Id;
        _bench.MakeFile(_dir, "rename-a");
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    /// <summary>create(O_EXCL) + release of an empty file.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Create()
    {
        var round = _round++;
        var volume = _bench.Volume;
        for (var i = 0; i < Batch; i++)
        {
            var created = volume.Create(_dir, $"c{round}-{i}", BenchVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Value;
            volume.Release(created.Handle);
        }
    }

    /// <summary>getattr by id.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Stat()
    {
        long total = 0;
        for (var i = 0; i < Batch; i++)
            total += _bench.Volume.GetAttributes(_file).Value.Size;
        return total;
    }

    /// <summary>lookup of a name in a directory of 1,000+ entries.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public long Lookup()
    {
        long total = 0;
        for (var i = 0; i < Batch; i++)
            total += _bench.Volume.Lookup(_dir, "existing-500").Value.Id;
        return total;
    }

    /// <summary>rename within a directory (the name flips between two spellings).</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void Rename()
    {
        for (var i = 0; i < Batch; i += 2)
        {
            _bench.Volume.Rename(_dir, "rename-a", _dir, "rename-b");
            _bench.Volume.Rename(_dir, "rename-b", _dir, "rename-a");
        }
    }
}
