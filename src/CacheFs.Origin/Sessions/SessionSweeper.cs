using Serilog;

namespace CacheFs.Origin.Sessions;

/// <summary>Once a second (on the injected clock), ends the sessions whose time ran out.</summary>
internal sealed class SessionSweeper : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly SessionService _sessions;
    private readonly ILogger _log;
    private readonly ITimer _timer;

    public SessionSweeper(SessionService sessions, TimeProvider time, ILogger log)
    {
        _sessions = sessions;
        _log = log;
        _timer = time.CreateTimer(_ => _ = SweepAsync(), null, Period, Period);
    }

    public void Dispose() => _timer.Dispose();

    private async Task SweepAsync()
    {
        try
        {
            await _sessions.LapseExpiredAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Error(e, "Ending expired sessions failed");
        }
    }
}
