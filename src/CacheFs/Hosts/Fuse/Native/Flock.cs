using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// <c>struct flock</c> on x86_64 Linux (32 bytes), as libfuse hands it to getlk and setlk: l_whence is always SEEK_SET,
/// l_len 0 means "to the end of the file and beyond".
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Flock
{
    public const short F_RDLCK = 0;
    public const short F_WRLCK = 1;
    public const short F_UNLCK = 2;

    public short Type;
    public short Whence;
    public long Start;
    public long Length;
    public int Pid;
}
