using System.Security.Cryptography;
using CacheFs.Origin;
using CacheFs.Sync.Engine;
using CacheFs.Volume;
using Serilog;

namespace CacheFs.Cli.Mount;

/// <summary>
/// The origin side of one mount: nothing (--local), an origin elsewhere (--origin), or an origin started here over a
/// local folder on loopback with a one-time token (the default), so a single command runs the whole product through
/// the same code path a team uses.
/// </summary>
internal sealed class MountOrigin : IDisposable
{
    private readonly MountSettings _settings;
    private readonly ILogger _log;
    private readonly OriginServer? _embedded;
    private readonly Uri? _uri;
    private readonly string? _token;
    private int _disposed;

    private MountOrigin(MountSettings settings, ILogger log, OriginServer? embedded, Uri? uri, string? token)
    {
        _settings = settings;
        _log = log;
        _embedded = embedded;
        _uri = uri;
        _token = token;
    }

    /// <summary>Starts the embedded origin if the mount has one. Throws <see cref="OriginStartException"/>.</summary>
    public static MountOrigin Start(MountSettings settings, ILogger log)
    {
        var origin = settings.Origin;
        switch (origin.Mode)
        {
            case OriginMode.Local:
                return new MountOrigin(settings, log, null, null, null);
            case OriginMode.Remote:
                return new MountOrigin(settings, log, null, origin.Origin, origin.Token);
        }

        Directory.CreateDirectory(origin.ServeRoot!);
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var server = OriginServer.StartAsync(new OriginOptions
        {
            Root = origin.ServeRoot!,
            Listen = "127.0.0.1:0",
            Tokens = [OriginToken.FromSecret(origin.ClientName, token)],
            Logger = log,
        }).GetAwaiter().GetResult();
        log.Information("Serving {Root} through an embedded origin at {Origin}", origin.ServeRoot, server.Uri);
        return new MountOrigin(settings, log, server, server.Uri, token);
    }

    public Uri? Uri => _uri;

    /// <summary>Attaches a sync engine to the volume; null for a local mount.</summary>
    public SyncEngine? Connect(CacheVolume volume) =>
        _uri is null
            ? null
            : SyncEngine.StartAsync(
                volume,
                new SyncOptions { Origin = _uri, Token = _token!, ClientName = _settings.Origin.ClientName, StartOffline = _settings.Origin.StartOffline },
                _log).GetAwaiter().GetResult();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _embedded?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

}
