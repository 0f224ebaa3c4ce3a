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
}
