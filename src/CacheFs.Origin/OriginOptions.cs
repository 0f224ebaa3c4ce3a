namespace CacheFs.Origin;

/// <summary>How to run an origin: what it serves, where it keeps its state, where it listens, and who may talk to it.</summary>
public sealed record OriginOptions
{
    /// <summary>The served directory; it must exist. Its files and directories are the tree clients see.</summary>
    public required string Root { get; init; }

    /// <summary>The database, upload temp files and logs; default <c>&lt;root&gt;/.cachefs-origin</c> (then not a valid name at the root).</summary>
    public string? StateDirectory { get; init; }

    /// <summary>"host:port"; port 0 picks a free port (see <see cref="OriginServer.Uri"/>).</summary>
    public string Listen { get; init; } = "127.0.0.1:7070";

    /// <summary>The accepted bearer tokens, hashed; at least one.</summary>
    public required IReadOnlyList<OriginToken> Tokens { get; init; }

    /// <summary>How long a session and its leases last without a heartbeat.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest a lock request with Wait is held before the client is told to ask again.</summary>
    public TimeSpan LockWaitLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often an idle event stream sends a keep-alive.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every expiry and timestamp comes from here, so tests move time by hand.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the origin logs (request lines included); none when null.</summary>
    public Serilog.ILogger? Logger { get; init; }

    /// <summary>A PEM certificate and key for HTTPS; plain HTTP when null.</summary>
    public string? CertificatePemFile { get; init; }

    public string? CertificateKeyPemFile { get; init; }

    public const string DefaultStateDirectoryName = ".cachefs-origin";

    public string ResolvedStateDirectory => Path.GetFullPath(StateDirectory ?? Path.Join(Root, DefaultStateDirectoryName));
}
