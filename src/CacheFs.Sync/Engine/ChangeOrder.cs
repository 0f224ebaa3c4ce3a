namespace CacheFs.Sync.Engine;

/// <summary>
/// One at a time, whatever brings the origin's namespace into the cache outside the outbox: each change event, and each
/// relisting from the moment the origin is asked until its answer is applied. A listing is a picture of its own moment;
/// applied after an event newer than it, it would undo that event (a journal another client made and deleted would come
/// back as a name here). Held across the listing call, it keeps every applied event at or before the listing's cursor;
/// events after the listing are applied after it, and they apply cleanly over it.
/// </summary>
internal sealed class ChangeOrder : IDisposable
{
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await _turn.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _turn.Release();
        }
    }

    public Task RunAsync(Func<Task> work, CancellationToken ct) =>
        RunAsync(
            async () =>
            {
                await work().ConfigureAwait(false);
                return true;
            },
            ct);

    public void Dispose() => _turn.Dispose();
}
