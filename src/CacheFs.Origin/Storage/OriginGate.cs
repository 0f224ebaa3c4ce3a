namespace CacheFs.Origin.Storage;

/// <summary>
/// The origin's one ordering point. Held while a namespace change, an upload's commit, a lease grant or release, or a
/// session's end is decided and applied; the change log's order is the order of effect. Content reads take it only to
/// pair a node's row with its open file. Lock order: this gate, then the lock table's monitor, then the event hub.
/// </summary>
internal sealed class OriginGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<Releaser> EnterAsync(CancellationToken cancel = default)
    {
        await _semaphore.WaitAsync(cancel);
        return new Releaser(_semaphore);
    }

    public void Dispose() => _semaphore.Dispose();

    public readonly struct Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}
