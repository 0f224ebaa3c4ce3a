using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CacheFs.Benchmarks;

/// <summary>
/// In-process (no generated project to build) and short: these are throughput figures for the README and for
/// spotting regressions by ratio, not lab-grade timings on a shared 2-core machine.
/// </summary>
internal sealed class CoreConfig : ManualConfig
{
    public CoreConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(8));
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
