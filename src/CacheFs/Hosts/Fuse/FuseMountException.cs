namespace CacheFs.Hosts.Fuse;

/// <summary>A mount or unmount that could not be done, with the reason a user can act on.</summary>
public sealed class FuseMountException : Exception
{
    public FuseMountException(FuseMountError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    public FuseMountException()
    {
    }

    public FuseMountException(string message)
        : base(message)
    {
    }

    public FuseMountException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FuseMountError Error { get; } = FuseMountError.MountFailed;
}
