using System.Runtime.Versioning;
using CacheFs.Tests.Hosts.Fuse;

namespace CacheFs.Tests.Conformance;

/// <summary>
/// The conformance cases through a real FUSE mount of a volume in this process. The fixture fails the class if any FUSE
/// callback logged an error, and never leaves the mount behind.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class FuseConformanceTests(FuseMountFixture fx)
    : ConformanceCases(new MountDriver(fx.NewDirectory("case-" + Guid.NewGuid().ToString("N")), fx.Volume.Time)), IClassFixture<FuseMountFixture>;
