namespace CacheFs.Nodes;

/// <summary>How much of a file's content is in the cache.</summary>
public enum ContentState
{
    /// <summary>Metadata only; no byte is cached.</summary>
    Placeholder = 0,

    /// <summary>Some ranges are cached; the range record says which.</summary>
    Partial = 1,

    /// <summary>Every byte up to the size is cached.</summary>
    Complete = 2,
}
