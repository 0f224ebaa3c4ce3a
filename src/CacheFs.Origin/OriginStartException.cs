namespace CacheFs.Origin;

/// <summary>Why an origin could not start, for a host to report in its own words and exit code.</summary>
public enum OriginStartError
{
    RootMissing = 1,
    RootNotDirectory = 2,
    StateUnusable = 3,
    StateInUse = 4,
    ListenFailed = 5,
    AddressInUse = 6,
    NoTokens = 7,
    InvalidOptions = 8,
}

/// <summary>An origin that cannot start, with a message a user can act on.</summary>
public sealed class OriginStartException : Exception
{
    public OriginStartException()
    {
    }

    public OriginStartException(string message)
        : base(message)
    {
    }

    public OriginStartException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public OriginStartException(OriginStartError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        Error = error;
    }

    public OriginStartError Error { get; } = OriginStartError.InvalidOptions;
}
