using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary><c>struct timespec</c> on x86_64 Linux (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Timespec
{
    /// <summary>utimensat's "set to the current time" marker in <see cref="Nanoseconds"/>.</summary>
    public const long UtimeNow = (1L << 30) - 1;

    /// <summary>utimensat's "leave unchanged" marker in <see cref="Nanoseconds"/>.</summary>
    public const long UtimeOmit = (1L << 30) - 2;

    public long Seconds;
    public long Nanoseconds;
}
