namespace CacheFs.Nodes;

public static class NodeIds
{
    /// <summary>The root directory's id; it never changes and is never removed.</summary>
    public const long Root = 1;
}
