namespace CacheFs.Nodes;

/// <summary>Who creates a node and with which permission bits (already masked by the caller's umask).</summary>
public readonly record struct NewNode(uint Mode, uint Uid, uint Gid)
{
    public uint WindowsAttributes { get; init; }
}
