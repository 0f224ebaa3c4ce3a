namespace CacheFs.Tests.Conformance;

/// <summary>What statfs/statvfs report, in bytes and node counts.</summary>
internal sealed record SpaceStat(long BlockSize, long TotalBytes, long FreeBytes, long AvailableBytes, long Files, long FreeFiles, long MaxNameLength);
