namespace CacheFs.Cli.Origin;

/// <summary>What `cachefs origin serve` exits with, one code per thing a user must do differently. Never renumber one.</summary>
internal static class OriginExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything unexpected (the log says what); also System.CommandLine's code for bad arguments.</summary>
    public const int Failed = 1;

    /// <summary>No token given, both --token and --tokens-file, an unreadable or malformed tokens file, a bad --listen.</summary>
    public const int InvalidArguments = 2;

    /// <summary>The --root directory does not exist or is not a directory.</summary>
    public const int RootMissing = 60;

    /// <summary>The state directory or its database cannot be created or opened.</summary>
    public const int StateUnusable = 61;

    /// <summary>Another origin is serving from the same state directory.</summary>
    public const int StateInUse = 62;

    /// <summary>The --listen address is taken (another origin, or another program).</summary>
    public const int AddressInUse = 63;

    /// <summary>The --listen address cannot be used (not an address of this machine, no permission for the port).</summary>
    public const int ListenFailed = 64;

    public static int Of(CacheFs.Origin.OriginStartError error) => error switch
    {
        CacheFs.Origin.OriginStartError.RootMissing or CacheFs.Origin.OriginStartError.RootNotDirectory => RootMissing,
        CacheFs.Origin.OriginStartError.StateUnusable => StateUnusable,
        CacheFs.Origin.OriginStartError.StateInUse => StateInUse,
        CacheFs.Origin.OriginStartError.AddressInUse => AddressInUse,
        CacheFs.Origin.OriginStartError.ListenFailed => ListenFailed,
        _ => InvalidArguments,
    };
}
