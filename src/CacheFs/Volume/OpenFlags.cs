namespace CacheFs.Volume;

[Flags]
public enum OpenFlags
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,

    /// <summary>Every write goes to the current end of file (O_APPEND), decided under the file's size lock.</summary>
    Append = 4,

    /// <summary>Truncate to zero on open (O_TRUNC, or Windows overwrite).</summary>
    Truncate = 8,
}

public enum RenameMode
{
    /// <summary>Replace an existing target if the kinds allow it (POSIX rename, Windows ReplaceIfExists).</summary>
    Replace,

    /// <summary>Fail with <see cref="FsStatus.Exists"/> if the target exists (RENAME_NOREPLACE).</summary>
    NoReplace,

    /// <summary>Swap the two names atomically; both must exist (RENAME_EXCHANGE).</summary>
    Exchange,
}

public enum XattrSetMode
{
    CreateOrReplace,
    CreateOnly,
    ReplaceOnly,
}

public enum AllocateMode
{
    /// <summary>Reserve space and extend the size to cover the range.</summary>
    Extend,

    /// <summary>Reserve space, keep the size (FALLOC_FL_KEEP_SIZE).</summary>
    KeepSize,

    /// <summary>Zero the range and free its blocks, keep the size (FALLOC_FL_PUNCH_HOLE).</summary>
    PunchHole,
}
