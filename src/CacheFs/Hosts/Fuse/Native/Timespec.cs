using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary><c>struct timespec</c> on x86_64 Linux (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    public long Seconds;
    public long Nanoseconds;
}
