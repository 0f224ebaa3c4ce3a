namespace CacheFs.Volume;

/// <summary>Another process (or another volume in this one) has the cache directory open.</summary>
public sealed class CacheInUseException : Exception
{
    public CacheInUseException(string message)
        : base(message)
    {
    }

    public CacheInUseException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
