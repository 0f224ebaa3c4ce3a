namespace CacheFs.Volume;

/// <summary>How a volume is opened. The case rule is fixed when the cache is created; reopening with another one is refused.</summary>
public sealed record VolumeOptions
{
    public required string CacheDirectory { get; init; }

    /// <summary>Linux: true. Windows: false (case-insensitive, case-preserving).</summary>
    public bool CaseSensitive { get; init; } = true;

    /// <summary>Owner and mode of the root directory when the cache is created.</summary>
    public uint RootUid { get; init; }
    public uint RootGid { get; init; }
    public uint RootMode { get; init; } = Convert.ToUInt32("755", 8);

    /// <summary>
    /// The volume mirrors an origin: every change is queued in the journal's outbox for the sync engine, and a new
    /// cache starts with a root the origin has yet to list. Fixed when the cache is created.
    /// </summary>
    public bool Outbox { get; init; }

    /// <summary>Which boot of the machine this is (see <see cref="ChangeRecord"/>); tests stand in for a reboot with another answer.</summary>
    internal Func<string?> BootId { get; init; } = BootIdentity.Current;
}
