namespace CacheFs.Nodes;

/// <summary>A setattr request: only the members that are set change.</summary>
public readonly record struct AttributeChanges
{
    public uint? Mode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public long? Size { get; init; }
    public Timestamp? AccessTime { get; init; }
    public Timestamp? ModifyTime { get; init; }
    public Timestamp? ChangeTime { get; init; }
    public Timestamp? BirthTime { get; init; }
    public uint? WindowsAttributes { get; init; }

    public bool ChangesOwnerOrMode => Mode.HasValue || Uid.HasValue || Gid.HasValue;

    /// <summary>Sets something the origin keeps beside the content: mode, owner, times or Windows attributes.</summary>
    public bool ChangesMetadata =>
        ChangesOwnerOrMode || AccessTime.HasValue || ModifyTime.HasValue || BirthTime.HasValue || WindowsAttributes.HasValue;
}
