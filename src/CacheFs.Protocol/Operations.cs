namespace CacheFs.Protocol;

/// <summary>Owner, mode and times a new node starts with; a missing time means "now" on the origin.</summary>
public sealed record NewNodeAttributes
{
    public uint Mode { get; init; }
    public uint Uid { get; init; }
    public uint Gid { get; init; }
    public long? ModifyTimeNs { get; init; }
    public uint WindowsAttributes { get; init; }
}

/// <summary>mkdir <see cref="Path"/>.</summary>
public sealed record MakeDirectoryRequest(string Path, NewNodeAttributes Attributes);

/// <summary>
/// Creates a non-directory node: an empty file, a symlink (<see cref="Target"/>), a FIFO, a socket or a device
/// (<see cref="DeviceNumber"/>). Fails with <see cref="ErrorCode.Exists"/> if the name is taken.
/// </summary>
public sealed record MakeNodeRequest(string Path, RemoteKind Kind, NewNodeAttributes Attributes)
{
    public string? Target { get; init; }
    public ulong DeviceNumber { get; init; }
}

/// <summary>A new name <see cref="NewPath"/> for the node at <see cref="ExistingPath"/>.</summary>
public sealed record LinkRequest(string ExistingPath, string NewPath);

/// <summary>How a rename treats an existing target, as renameat2 does.</summary>
public enum RenameMode
{
    Replace = 0,
    NoReplace = 1,
    Exchange = 2,
}

/// <summary>
/// Moves <see cref="Path"/> to <see cref="NewPath"/>. <see cref="ExpectedVersion"/>, when given, must match the
/// source's version (a clash is <see cref="ErrorCode.VersionMismatch"/>); replacing or removing a file another
/// session holds a write lease on is refused with <see cref="ErrorCode.LeaseConflict"/>.
/// </summary>
public sealed record RenameRequest(string Path, string NewPath, RenameMode Mode = RenameMode.Replace)
{
    public long? ExpectedVersion { get; init; }

    /// <summary>The id of the node the caller means to move: another node at <see cref="Path"/> now is NotFound (it moved or went).</summary>
    public long? ExpectedId { get; init; }

    /// <summary>
    /// Replace a file at <see cref="NewPath"/> only if its bytes are still this version (a client's offline rename over
    /// what it saw); a file changed since is VersionMismatch and nothing moves.
    /// </summary>
    public long? ExpectedTargetContentVersion { get; init; }
}

/// <summary>unlink or rmdir <see cref="Path"/>; <see cref="Directory"/> says which the caller meant.</summary>
public sealed record RemoveRequest(string Path, bool Directory)
{
    public long? ExpectedVersion { get; init; }

    /// <summary>Remove a file only if its bytes are still this version (a client's offline delete of what it saw).</summary>
    public long? ExpectedContentVersion { get; init; }
}

/// <summary>Changes some attributes of one node; null members stay as they are. <see cref="Size"/> truncates or extends.</summary>
public sealed record SetAttributesRequest(string Path)
{
    public uint? Mode { get; init; }
    public uint? Uid { get; init; }
    public uint? Gid { get; init; }
    public long? AccessTimeNs { get; init; }
    public long? ModifyTimeNs { get; init; }
    public uint? WindowsAttributes { get; init; }
    public long? Size { get; init; }
    public long? ExpectedVersion { get; init; }
}

/// <summary>Sets one extended attribute. <see cref="Mode"/> follows setxattr's XATTR_CREATE / XATTR_REPLACE.</summary>
public sealed record SetXattrRequest(string Path, string Name, byte[] Value, XattrMode Mode = XattrMode.Upsert);

/// <summary>How setxattr treats an existing attribute.</summary>
public enum XattrMode
{
    Upsert = 0,
    Create = 1,
    Replace = 2,
}

/// <summary>Removes one extended attribute.</summary>
public sealed record RemoveXattrRequest(string Path, string Name);
