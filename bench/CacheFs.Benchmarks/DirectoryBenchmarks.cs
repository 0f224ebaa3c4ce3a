using BenchmarkDotNet.Attributes;

namespace CacheFs.Benchmarks;

/// <summary>A whole listing of a 10,000-entry directory in pages, as readdir(plus) fetches it.</summary>
[Config(typeof(CoreConfig))]
public class DirectoryBenchmarks
{
    private BenchVolume _bench = null!;
    private long _dir;

    [Params(256)]
    public int PageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _bench = new BenchVolume();
        _dir = _bench.MakeDirectory("big");
        for (var i = 0; i < 10_000; i++)
            _bench.MakeFile(_dir, $"entry-{i:D5}.bin");
    }

    [GlobalCleanup]
    public void Cleanup() => _bench.Dispose();

    [Benchmark]
    public int ReadDirectory10k()
    {
        var count = 0;
        long cookie = 0;
        while (true)
        {
            var page = _bench.Volume.ReadDirectory(_dir, cookie, PageSize).Value;
            if (page.Count == 0)
                return count;
            count += page.Count;
            cookie = page[^1].Cookie;
        }
    }
}
