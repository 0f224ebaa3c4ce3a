namespace CacheFs.Cli.Mount;

/// <summary>Where a mount's content comes from.</summary>
internal enum OriginMode
{
    /// <summary>An origin server elsewhere (--origin).</summary>
    Remote,

    /// <summary>An origin started in the mount's own process over a local folder (the default): one command, the same code path.</summary>
    Embedded,

    /// <summary>No origin at all (--local): the cache is the only copy.</summary>
    Local,
}

/// <summary>
/// The origin side of `cachefs mount`. The token travels to a --background child in its environment, never on its
/// command line, where any user could read it in the process list.
/// </summary>
internal sealed record OriginSettings(OriginMode Mode, Uri? Origin, string? Token, string ClientName, string? ServeRoot)
{
    public const string TokenVariable = "CACHEFS_TOKEN";

    public static OriginSettings Local { get; } = new(OriginMode.Local, null, null, Environment.MachineName, null);

    /// <summary>--offline: start offline by hand, asking nothing of the origin until `cachefs online`.</summary>
    public bool StartOffline { get; init; }

    /// <summary>The folder an embedded origin serves when --serve is not given: beside the journal, inside the cache directory.</summary>
    public static string DefaultServeRoot(string cacheDirectory) => Path.Combine(cacheDirectory, "origin");

    public IEnumerable<string> ChildArguments()
    {
        switch (Mode)
        {
            case OriginMode.Local:
                yield return "--local";
                break;
            case OriginMode.Remote:
                yield return "--origin";
                yield return Origin!.ToString();
                break;
            case OriginMode.Embedded:
                yield return "--serve";
                yield return ServeRoot!;
                break;
        }

        yield return "--client-name";
        yield return ClientName;
        if (StartOffline)
            yield return "--offline";
    }
}
