using System.Net;
using CacheFs.Origin.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Core;

namespace CacheFs.Origin;

/// <summary>
/// A running origin: <c>await using var origin = await OriginServer.StartAsync(options);</c> then talk to
/// <see cref="Uri"/>. `cachefs origin serve` and a mount's embedded origin host it the same way. Disposing ends every
/// session (their streams and lock waits end with them), stops Kestrel and closes the database.
/// </summary>
public sealed class OriginServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly OriginParts _parts;

    private OriginServer(WebApplication app, OriginParts parts, Uri uri)
    {
        _app = app;
        _parts = parts;
        Uri = uri;
    }

    /// <summary>Where the origin listens (the real port when the options asked for port 0).</summary>
    public Uri Uri { get; }

    /// <summary>The state directory in use (database, upload temp files).</summary>
    public string StateDirectory => _parts.State.Path;

    /// <summary>Opens the state, imports the tree, and starts listening. Throws <see cref="OriginStartException"/> for a cause a user can fix.</summary>
    public static async Task<OriginServer> StartAsync(OriginOptions options, CancellationToken cancel = default)
    {
        var log = options.Logger ?? Logger.None;
        var endpoint = ListenAddress.Parse(options.Listen);
        var parts = OriginParts.Open(options, log);
        WebApplication? app = null;
        try
        {
            app = OriginApp.Build(options, parts, endpoint, log);
            await app.StartAsync(cancel);
            var uri = BoundUri(app, options);
            log.Information("Origin serving {Root} at {Uri} (state {State})", parts.Disk.Root, uri, parts.State.Path);
            return new OriginServer(app, parts, uri);
        }
        catch (Exception e)
        {
            if (app is not null)
                await app.DisposeAsync();
            parts.Dispose();
            if (e is IOException && e.InnerException is AddressInUseException)
                throw new OriginStartException(OriginStartError.AddressInUse, $"The address {options.Listen} is in use; is another origin running there?", e);
            if (e is IOException or System.Net.Sockets.SocketException)
                throw new OriginStartException(OriginStartError.ListenFailed, $"Cannot listen on {options.Listen}: {e.Message}", e);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _parts.Sessions.EndAllAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _parts.Dispose();
    }

    private static Uri BoundUri(WebApplication app, OriginOptions options)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new OriginStartException(OriginStartError.ListenFailed, $"Kestrel reported no address for {options.Listen}");
        var uri = new Uri(address);
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var host) && (host.Equals(IPAddress.Any) || host.Equals(IPAddress.IPv6Any)))
            uri = new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
        return uri;
    }
}
