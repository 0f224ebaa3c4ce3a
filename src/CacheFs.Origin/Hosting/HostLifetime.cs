using Microsoft.Extensions.Hosting;

namespace CacheFs.Origin.Hosting;

/// <summary>
/// Replaces the console lifetime: the host of the origin (the CLI, or a mount with an embedded origin) owns the
/// process's signals and stops the origin by disposing it.
/// </summary>
internal sealed class HostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
