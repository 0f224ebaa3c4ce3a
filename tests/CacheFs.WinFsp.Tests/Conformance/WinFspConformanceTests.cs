using CacheFs.Tests.Conformance;

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// The conformance cases of CacheFs.Tests, run against the WinFsp host through <see cref="WinFspDriver"/>. Cases with no
/// Windows meaning, or whose expectation Windows contradicts, are reported skipped with the reason
/// (<see cref="WindowsSkips"/>).
/// </summary>
public sealed class WinFspConformanceTests(WinFspVolumeFixture fx)
    : ConformanceCases(new WinFspDriver(fx.FileSystem, fx.NewDirectory(), fx.Time)), IClassFixture<WinFspVolumeFixture>;
