namespace CacheFs.Origin.Sessions;

/// <summary>
/// One client session: the owner of leases and locks and the receiver of events. It lives until its expiry, which a
/// heartbeat moves on; <see cref="Ended"/> is set (under the gate) once its leases and locks are gone.
/// </summary>
internal sealed class Session(string id, string clientName, DateTimeOffset expires)
{
    private long _expiresTicks = expires.UtcTicks;

    public string Id { get; } = id;

    public string ClientName { get; } = clientName;

    public bool Ended { get; set; }

    public DateTimeOffset Expires => new(Interlocked.Read(ref _expiresTicks), TimeSpan.Zero);

    public bool IsExpired(DateTimeOffset now) => now.UtcTicks >= Interlocked.Read(ref _expiresTicks);

    public void Renew(DateTimeOffset until) => Interlocked.Exchange(ref _expiresTicks, until.UtcTicks);
}
