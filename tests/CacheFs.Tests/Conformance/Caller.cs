namespace CacheFs.Tests.Conformance;

/// <summary>
/// The process the cases run in, as the kernel sees it: new nodes get its effective ids and lose its umask bits. The
/// core driver applies the same, as the kernel and the FUSE host do for the mount.
/// </summary>
internal static class Caller
{
    public static uint Uid { get; } = LinuxCalls.GetEUid();

    public static uint Gid { get; } = LinuxCalls.GetEGid();

    /// <summary>From /proc (umask(2) can only be read by changing it, which would race with other tests).</summary>
    public static uint Umask { get; } = Convert.ToUInt32(
        File.ReadLines("/proc/self/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal))["Umask:".Length..].Trim(),
        8);

    public static uint Masked(uint permissions) => permissions & ~Umask;
}
