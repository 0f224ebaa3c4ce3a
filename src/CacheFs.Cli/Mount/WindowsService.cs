#if WINFSP
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CacheFs.Cli.Mount;

/// <summary>
/// `cachefs mount X: … --service`: the same mount run by the Service Control Manager (sc.exe create, README). A plain
/// console program would not answer the SCM's start and stop requests and be killed after 30 seconds; the .NET host's
/// Windows-service lifetime answers them and turns "stop" (and shutdown) into a clean unmount.
/// </summary>
internal static class WindowsService
{
    public const string Name = "CacheFs";

    public static int Run(MountSettings settings, TextWriter error)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddWindowsService(options => options.ServiceName = Name);
        var exit = new StrongBox<int>();
        builder.Services.AddHostedService(services => new MountService(settings, error, exit, services.GetRequiredService<IHostApplicationLifetime>()));
        using var host = builder.Build();
        host.Run();
        return exit.Value;
    }

    /// <summary>Serves the mount until the service is stopped; a mount that ends by itself (it failed) stops the service.</summary>
    private sealed class MountService(MountSettings settings, TextWriter error, StrongBox<int> exit, IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
            Task.Run(
                () =>
                {
                    exit.Value = new WindowsMount(settings, new MountReport(error, parent: null), stoppingToken, console: false).Run();
                    lifetime.StopApplication();
                },
                CancellationToken.None);
    }
}
#endif
