using System.Runtime.InteropServices;

namespace CacheFs.Cli.Mount;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP ask a mount to unmount and close its journal. A second signal while that is under way
/// is left to its default action (the process ends at once), for a user who no longer wants to wait.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly TaskCompletionSource<PosixSignal> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration[] _registrations;

    public ShutdownSignals() =>
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];

    /// <summary>Completes with the first signal.</summary>
    public Task<PosixSignal> Received => _received.Task;

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }

    private void OnSignal(PosixSignalContext context) => context.Cancel = _received.TrySetResult(context.Signal);
}
