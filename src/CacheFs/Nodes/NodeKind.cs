namespace CacheFs.Nodes;

/// <summary>What a node is. Only files carry content; the special kinds are metadata only.</summary>
public enum NodeKind
{
    File = 1,
    Directory = 2,
    Symlink = 3,
    Fifo = 4,
    Socket = 5,
    CharDevice = 6,
    BlockDevice = 7,
}
