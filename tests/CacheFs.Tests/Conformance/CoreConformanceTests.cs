namespace CacheFs.Tests.Conformance;

/// <summary>The conformance cases against the core in-process.</summary>
public sealed class CoreConformanceTests(CoreVolumeFixture fx)
    : ConformanceCases(new CoreDriver(fx.Volume.Volume, fx.NewDirectory(), fx.Time)), IClassFixture<CoreVolumeFixture>;
