namespace CacheFs.Tests.Conformance;

/// <summary>open(2)'s flags as far as the conformance cases use them.</summary>
[Flags]
internal enum OpenMode
{
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,

    /// <summary>O_CREAT: make the file if the name is free, else open what is there.</summary>
    Create = 4,

    /// <summary>O_EXCL with <see cref="Create"/>: fail with <see cref="FsStatus.Exists"/> if the name is taken.</summary>
    Exclusive = 8,
    Truncate = 16,
    Append = 32,
}
