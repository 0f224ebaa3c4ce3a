namespace CacheFs.Journal;

/// <summary>The journal cannot be used: corrupt, from a newer version, or the disk failed under it.</summary>
public sealed class JournalException : Exception
{
    public JournalException(string message)
        : base(message)
    {
    }

    public JournalException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
