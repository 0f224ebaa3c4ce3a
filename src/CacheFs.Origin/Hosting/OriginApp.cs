using System.Net;
using System.Security.Cryptography.X509Certificates;
using CacheFs.Origin.Auth;
using CacheFs.Origin.Content;
using CacheFs.Origin.Events;
using CacheFs.Origin.Http;
using CacheFs.Origin.Leases;
using CacheFs.Origin.Locks;
using CacheFs.Origin.Namespace;
using CacheFs.Origin.Sessions;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace CacheFs.Origin.Hosting;

/// <summary>
/// The ASP.NET Core application: Kestrel on one endpoint, no configuration files or environment defaults, the
/// middleware (request log → problems → bearer auth) and the protocol's routes.
/// </summary>
internal static class OriginApp
{
    /// <summary>JSON bodies (xattr values are the largest) are small; uploads lift the limit for themselves.</summary>
    private const long MaxJsonBody = 4L << 20;

    public static WebApplication Build(OriginOptions options, OriginParts parts, IPEndPoint endpoint, Serilog.ILogger log)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "CacheFs.Origin", ContentRootPath = parts.State.Path });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxJsonBody;
            kestrel.Listen(endpoint, listen =>
            {
                // HTTP/2 needs TLS's protocol negotiation; plain HTTP stays HTTP/1.1.
                listen.Protocols = HttpProtocols.Http1;
                if (options.CertificatePemFile is { } certificate)
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(certificate, options.CertificateKeyPemFile));
                }
            });
        });
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IHostLifetime, HostLifetime>();
        // ASP.NET Core's own logs only when something is wrong; requests are logged by RequestLogging, one line each.
        builder.Logging.ClearProviders().AddSerilog(log).AddFilter<Serilog.Extensions.Logging.SerilogLoggerProvider>(null, LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ProtocolJson.Default));
        Register(builder.Services, parts);

        var app = builder.Build();
        app.UseMiddleware<RequestLogging>(log);
        app.UseMiddleware<ProblemMiddleware>(log);
        app.UseMiddleware<BearerAuthentication>(parts.Tokens);
        app.MapGet(Routes.Health, context => Reply.JsonAsync(context, new HealthReport("ok", Version, parts.Database.Head), ProtocolJson.Default.HealthReport));
        ListingEndpoints.Map(app);
        ContentEndpoints.Map(app);
        NamespaceEndpoints.Map(app);
        SessionEndpoints.Map(app);
        LeaseEndpoints.Map(app);
        LockEndpoints.Map(app);
        LockEndpoints.MapAdmin(app, log);
        app.MapGet(Routes.Events, context => context.RequestServices.GetRequiredService<EventStream>().StreamAsync(context));
        app.MapFallback(context => throw new OriginException(ErrorCode.NotFound, $"No route {context.Request.Method} {context.Request.Path}"));
        return app;
    }

    private static string Version { get; } = typeof(OriginApp).Assembly.GetName().Version?.ToString(3) ?? "0";

    private static void Register(IServiceCollection services, OriginParts parts)
    {
        services.AddSingleton(parts.Tree);
        services.AddSingleton(parts.Sessions);
        services.AddSingleton(parts.Leases);
        services.AddSingleton(parts.Locks);
        services.AddSingleton(parts.Creation);
        services.AddSingleton(parts.Renaming);
        services.AddSingleton(parts.Removal);
        services.AddSingleton(parts.Attributes);
        services.AddSingleton(parts.Reader);
        services.AddSingleton(parts.Upload);
        services.AddSingleton(parts.Stream);
    }
}
