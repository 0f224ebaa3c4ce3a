using CacheFs.Volume;

namespace CacheFs.Sync.Engine;

/// <summary>
/// The origin sessions this cache has worked under, kept in the journal: a change made under any of them is this
/// mount's own, even when the event stream replays it after a crash or a lapsed session, and must not be applied again
/// as another client's (it would take the file back to an older version).
/// </summary>
internal sealed class OwnSessions
{
    private const string Setting = "own-sessions";

    /// <summary>Enough to cover every session whose changes the stream can still replay; older ones fall off.</summary>
    private const int Kept = 64;

    private readonly CacheVolume _volume;
    private readonly Lock _sync = new();
    private readonly List<string> _ids;

    public OwnSessions(CacheVolume volume)
    {
        _volume = volume;
        _ids = [.. (volume.ReadSetting(Setting) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)];
    }

    public bool Contains(string? sessionId)
    {
        if (sessionId is null)
            return false;
        lock (_sync)
            return _ids.Contains(sessionId);
    }

    /// <summary>Records a new session before anything is done under it; false if the journal could not take it.</summary>
    public bool Add(string sessionId)
    {
        lock (_sync)
        {
            if (_ids.Contains(sessionId))
                return true;
            _ids.Add(sessionId);
            if (_ids.Count > Kept)
                _ids.RemoveRange(0, _ids.Count - Kept);
            return _volume.WriteSetting(Setting, string.Join(',', _ids)) == FsStatus.Ok;
        }
    }
}
