using Serilog.Events;

namespace CacheFs.Cli.Origin;

/// <summary>What `cachefs origin serve` was asked to do, with paths made full.</summary>
internal sealed record OriginServeSettings(
    string Root,
    string Listen,
    string? Token,
    string? TokensFile,
    string? StateDirectory,
    TimeSpan LeaseTtl,
    string? Certificate,
    string? CertificateKey,
    LogEventLevel LogLevel)
{
    public string ResolvedState => StateDirectory ?? Path.Join(Root, CacheFs.Origin.OriginOptions.DefaultStateDirectoryName);
}
