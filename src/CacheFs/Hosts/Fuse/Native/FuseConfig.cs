using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>libfuse 3.14's <c>struct fuse_config</c>: the high-level API's settings, adjusted in <c>init</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseConfig
{
    public int SetGid;
    public uint Gid;
    public int SetUid;
    public uint Uid;
    public int SetMode;
    public uint Umask;
    public double EntryTimeout;
    public double NegativeTimeout;
    public double AttributeTimeout;
    public int Interrupt;
    public int InterruptSignal;
    public int Remember;
    public int HardRemove;
    public int UseIno;
    public int ReaddirIno;
    public int DirectIo;
    public int KernelCache;
    public int AutoCache;
    public int NoReadOnlyFlush;
    public int AutoCacheAttributeTimeoutSet;
    public double AutoCacheAttributeTimeout;
    public int NullPathOk;
    public int ShowHelp;
    public nint Modules;
    public int Debug;
}
