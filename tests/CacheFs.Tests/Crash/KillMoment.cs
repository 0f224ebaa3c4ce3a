namespace CacheFs.Tests.Crash;

/// <summary>When a round's SIGKILL lands: <see cref="Milliseconds"/> after the worker said "ready", or after it was started.</summary>
internal readonly record struct KillMoment(int Milliseconds, bool AfterReady = true)
{
    public override string ToString() => AfterReady ? $"{Milliseconds,3} ms after ready" : $"{Milliseconds,3} ms after start";
}
