using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>libfuse 3.14's <c>struct fuse_conn_info</c> (128 bytes): what the kernel offers and what we want.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct FuseConnInfo
{
    public uint ProtocolMajor;
    public uint ProtocolMinor;
    public uint MaxWrite;
    public uint MaxRead;
    public uint MaxReadahead;

    /// <summary>FUSE_CAP_* the kernel supports.</summary>
    public uint Capable;

    /// <summary>FUSE_CAP_* we ask for; must stay a subset of <see cref="Capable"/>.</summary>
    public uint Want;
    public uint MaxBackground;
    public uint CongestionThreshold;
    public uint TimeGranularity;
    private fixed uint _reserved[22];
}
