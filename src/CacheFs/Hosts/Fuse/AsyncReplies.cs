namespace CacheFs.Hosts.Fuse;

/// <summary>
/// The requests answered from a continuation rather than by the worker that took them (reads waiting on the origin).
/// libfuse frees its session when the loop is done with it, so that must wait until the last of these has answered.
/// </summary>
internal sealed class AsyncReplies : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One for the running loop, plus one per outstanding answer.</summary>
    private int _outstanding = 1;

    /// <summary>Cancelled when the loop has ended: whatever is still waiting is waited on by no one.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Calls <paramref name="answer"/> with the result (or the exception) once <paramref name="pending"/> completes.</summary>
    public void AnswerLater<T>(ValueTask<T> pending, Action<T?, Exception?> answer)
    {
        Interlocked.Increment(ref _outstanding);
        _ = AwaitAsync(pending, answer);
    }

    /// <summary>Once, after the loop has ended (no request can begin any more): cancels the waits and waits for their answers.</summary>
    public bool Drain(TimeSpan timeout)
    {
        _stopping.Cancel();
        End();
        return _drained.Task.Wait(timeout);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task AwaitAsync<T>(ValueTask<T> pending, Action<T?, Exception?> answer)
    {
        try
        {
            T result;
            try
            {
                result = await pending.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                answer(default, e);
                return;
            }

            answer(result, null);
        }
        finally
        {
            End();
        }
    }

    private void End()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
            _drained.TrySetResult();
    }
}
