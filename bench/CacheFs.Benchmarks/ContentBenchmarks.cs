using BenchmarkDotNet.Attributes;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Benchmarks;

/// <summary>Writes and reads through one open handle, as a host's write callback does.</summary>
[Config(typeof(CoreConfig))]
public class ContentBenchmarks
{
    private const long Wrap = 256L << 20;
    private BenchVolume _bench = null!;
    private ulong _handle;
    private long _offset;
    private byte[] _small = null!;
    private byte[] _large = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchVolume();
        _handle = _bench.Volume.Create(NodeIds.Root, "data", BenchVolume.Owner, OpenFlags.ReadWrite, exclusive: true).Value.Handle;
        _small = new byte[4096];
        _large = new byte[1 << 20];
        Random.Shared.NextBytes(_small);
        Random.Shared.NextBytes(_large);
        for (long at = 0; at < 64L << 20; at += _large.Length)
            _bench.Volume.Write(_handle, at, _large);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bench.Volume.Release(_handle);
        _bench.Dispose();
    }

    [Benchmark(OperationsPerInvoke = 256)]
    public void Write4KiB()
    {
        for (var i = 0; i < 256; i++)
            _bench.Volume.Write(_handle, Next(_small.Length), _small);
    }

    [Benchmark]
    public void Write1MiB() => _bench.Volume.Write(_handle, Next(_large.Length), _large);

    [Benchmark(OperationsPerInvoke = 256)]
    public int Read4KiB()
    {
        var total = 0;
        for (var i = 0; i < 256; i++)
            total += _bench.Volume.Read(_handle, (i * 4096L) % (64L << 20), _small).Value;
        return total;
    }

    private long Next(int length)
    {
        var at = _offset;
        _offset = (_offset + length) % Wrap;
        return at;
    }
}
