namespace CacheFs.Sync.Engine;

/// <summary>
/// The files other clients hold write leases on, as the origin's event stream tells them (origin node ids): the whole
/// list when the stream attaches, then each lease taken or ended. Known only while a stream is attached; until the
/// list arrives, and after the stream ends, nothing is known and every check asks the origin.
/// </summary>
/// <remarks>
/// Used to let a delete or a rename over a file skip the lease round trip when no one else holds that file. The
/// picture lags the origin by the event's way here; a lease taken in that gap is still honoured, since the origin
/// refuses the removal while it is held and keeps a version written under it (the removal carries its base version).
/// </remarks>
internal sealed class OthersLeases
{
    private readonly Lock _sync = new();
    private readonly HashSet<long> _held = [];
    private bool _known;

    /// <summary>Whether the list is known (a stream is attached and has sent it).</summary>
    public bool Known
    {
        get
        {
            lock (_sync)
                return _known;
        }
    }

    public int Count
    {
        get
        {
            lock (_sync)
                return _held.Count;
        }
    }

    /// <summary>True only when the list is known and no other client holds a write lease on <paramref name="originId"/>.</summary>
    public bool KnownFree(long originId)
    {
        lock (_sync)
            return _known && originId != 0 && !_held.Contains(originId);
    }

    /// <summary>The whole list, first on a stream.</summary>
    public void Reset(IEnumerable<long> held)
    {
        lock (_sync)
        {
            _held.Clear();
            _held.UnionWith(held);
            _known = true;
        }
    }

    /// <summary>Another client took the lease (told by the stream, or learnt from a refusal).</summary>
    public void Taken(long originId)
    {
        lock (_sync)
            _held.Add(originId);
    }

    public void Ended(long originId)
    {
        lock (_sync)
            _held.Remove(originId);
    }

    /// <summary>The stream ended: what it said may be stale from now on.</summary>
    public void Forget()
    {
        lock (_sync)
        {
            _known = false;
            _held.Clear();
        }
    }
}
