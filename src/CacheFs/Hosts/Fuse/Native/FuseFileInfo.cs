using System.Runtime.InteropServices;

namespace CacheFs.Hosts.Fuse.Native;

/// <summary>
/// libfuse 3.14's <c>struct fuse_file_info</c> (40 bytes). The C bit-fields after <c>flags</c> share one 32-bit word,
/// <see cref="Bits"/>; the positions below are the ones gcc gives them on x86_64, checked by NativeLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct FuseFileInfo
{
    public const int WritePageBit = 0;
    public const int DirectIoBit = 1;
    public const int KeepCacheBit = 2;
    public const int FlushBit = 3;
    public const int NonSeekableBit = 4;
    public const int FlockReleaseBit = 5;
    public const int CacheReaddirBit = 6;
    public const int NoFlushBit = 7;

    /// <summary>open(2) flags.</summary>
    public int Flags;
    public uint Bits;
    private readonly uint _padding2;

    /// <summary>Ours to fill in open, create and opendir: the core's handle.</summary>
    public ulong Handle;
    public ulong LockOwner;
    public uint PollEvents;

    public bool KeepCache
    {
        readonly get => Get(KeepCacheBit);
        set => Set(KeepCacheBit, value);
    }

    public bool DirectIo
    {
        readonly get => Get(DirectIoBit);
        set => Set(DirectIoBit, value);
    }

    /// <summary>release: the file's flock locks go with it (its lock owner is set).</summary>
    public readonly bool FlockRelease => Get(FlockReleaseBit);

    public bool CacheReaddir
    {
        readonly get => Get(CacheReaddirBit);
        set => Set(CacheReaddirBit, value);
    }

    private readonly bool Get(int bit) => (Bits & (1u << bit)) != 0;

    private void Set(int bit, bool value) => Bits = value ? Bits | (1u << bit) : Bits & ~(1u << bit);
}
