namespace CacheFs.Sync.Engine;

/// <summary>
/// Wakes whoever waits for a loop to move on (the outbox sent an entry, the event stream applied a change), so a waiter
/// checks its condition at each step instead of polling on a timer.
/// </summary>
internal sealed class ProgressPulse
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>True once <paramref name="done"/> holds; false if it still does not after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> done, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            // Taken before the check: a pulse between the check and the wait is not missed.
            var next = Volatile.Read(ref _next).Task;
            if (done())
                return true;
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return false;
            try
            {
                await next.WaitAsync(left, time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // One last look at the condition.
            }
        }
    }
}
