namespace CacheFs.Volume;

/// <summary>
/// A change the OS did not make (another client's, arriving through the origin), for the host to drop what the OS has
/// cached of it: a name in a directory, a node's attributes, a node's content, or a name and the node it led to.
/// </summary>
public readonly record struct VolumeChange
{
    /// <summary>The directory holding <see cref="Name"/>; 0 when no name changed.</summary>
    public long Parent { get; init; }

    /// <summary>A name that appeared, went, or now leads to another node; null when no name changed.</summary>
    public string? Name { get; init; }

    /// <summary>A node whose attributes changed (for <see cref="NameRemoved"/>, the node the name led to); 0 when none.</summary>
    public long Node { get; init; }

    /// <summary><see cref="Node"/>'s content changed too: whatever is cached of its bytes is stale.</summary>
    public bool ContentChanged { get; init; }

    /// <summary><see cref="Name"/> led to <see cref="Node"/> and now leads nowhere; the node lost a link.</summary>
    public bool NameRemoved { get; init; }

    /// <summary>A name appeared in <paramref name="parent"/>, or leads to another node than before.</summary>
    public static VolumeChange Entry(long parent, string name) => new() { Parent = parent, Name = name };

    /// <summary>The name of <paramref name="node"/> in <paramref name="parent"/> is gone.</summary>
    public static VolumeChange Removed(long parent, string name, long node) => new() { Parent = parent, Name = name, Node = node, NameRemoved = true };

    public static VolumeChange Attributes(long node) => new() { Node = node };

    /// <summary>The node's content (and with it its attributes) changed.</summary>
    public static VolumeChange Content(long node) => new() { Node = node, ContentChanged = true };
}
