namespace CacheFs.Remote;

/// <summary>How `cachefs conflicts resolve` settles a recorded clash.</summary>
public enum ConflictChoice
{
    /// <summary>The version from here wins: it takes the name, and the other goes.</summary>
    Mine,

    /// <summary>The origin's version wins: ours goes.</summary>
    Theirs,

    /// <summary>Both stay as they are (ours under its conflict name); the clash is only marked settled.</summary>
    Both,
}
