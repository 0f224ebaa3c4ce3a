using System.Collections.Concurrent;

namespace CacheFs.Hosts.Fuse;

/// <summary>
/// The requests answered from a continuation rather than by the worker that took them (reads waiting on the origin).
/// libfuse frees its session when the loop is done with it, so that must wait until the last of these has answered.
/// </summary>
/// <remarks>
/// The answers are sent from a few threads of the mount's own, not from the thread pool: a spliced read answer uses a
/// pipe libfuse keeps per calling thread and per session, and frees only when that thread exits while the session
/// still exists. Pool threads outlive the session, so every mount would leave pipes behind in them; these threads end
/// before the session is destroyed.
/// </remarks>
internal sealed class AsyncReplies : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BlockingCollection<Action> _answers = [];
    private static readonly TimeSpan ThreadExit = TimeSpan.FromSeconds(10);
    private readonly Thread[] _threads;

    /// <summary>One for the running loop, plus one per outstanding answer.</summary>
    private int _outstanding = 1;

    /// <param name="threads">
    /// The answering threads; with none (WinFsp, which keeps no per-thread state), a late answer is sent from the
    /// continuation that saw the result.
    /// </param>
    public AsyncReplies(int threads = 0)
    {
        _threads = new Thread[threads];
        for (var i = 0; i < threads; i++)
        {
            _threads[i] = new Thread(Answer) { IsBackground = true, Name = "FUSE answers" };
            _threads[i].Start();
        }
    }

    /// <summary>Cancelled when the loop has ended: whatever is still waiting is waited on by no one.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Calls <paramref name="answer"/> with the result (or the exception) once <paramref name="pending"/> completes, from its continuation.</summary>
    public void AnswerLater<T>(ValueTask<T> pending, Action<T?, Exception?> answer)
    {
        Interlocked.Increment(ref _outstanding);
        _ = AwaitAsync(pending, answer, onOwnThread: false);
    }

    /// <summary>As <see cref="AnswerLater"/>, but from one of the answering threads when <paramref name="pending"/> had to be waited for.</summary>
    public void AnswerLaterFromOwnThread<T>(ValueTask<T> pending, Action<T?, Exception?> answer)
    {
        Interlocked.Increment(ref _outstanding);
        _ = AwaitAsync(pending, answer, onOwnThread: true);
    }

    /// <summary>
    /// Once, after the loop has ended (no request can begin any more): cancels the waits, waits for their answers, and
    /// ends the answering threads.
    /// </summary>
    public bool Drain(TimeSpan timeout)
    {
        _stopping.Cancel();
        End();
        if (!_drained.Task.Wait(timeout))
            return false;
        // Every answer has been sent: the threads only have to leave their loop.
        _answers.CompleteAdding();
        return _threads.All(t => t.Join(ThreadExit));
    }

    public void Dispose()
    {
        _stopping.Dispose();
        if (_answers.IsAddingCompleted && _threads.All(t => !t.IsAlive))
            _answers.Dispose();
    }

    private async Task AwaitAsync<T>(ValueTask<T> pending, Action<T?, Exception?> answer, bool onOwnThread)
    {
        // Complete already: answered by the caller (a libfuse worker), as the answer would be without waiting.
        var late = onOwnThread && !pending.IsCompleted;
        T? result = default;
        Exception? error = null;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            error = e;
        }

        if (late && _threads.Length > 0)
            _answers.Add(() => AnswerNow(answer, result, error)); // Drain waits for this answer before it completes the queue.
        else
            AnswerNow(answer, result, error);
    }

    private void AnswerNow<T>(Action<T?, Exception?> answer, T? result, Exception? error)
    {
        try
        {
            answer(result, error);
        }
        catch (Exception)
        {
            // An answer catches what it can; an answering thread must outlive one that did not.
        }
        finally
        {
            End();
        }
    }

    private void Answer()
    {
        foreach (var answer in _answers.GetConsumingEnumerable())
            answer();
    }

    private void End()
    {
        if (Interlocked.Decrement(ref _outstanding) == 0)
            _drained.TrySetResult();
    }
}
