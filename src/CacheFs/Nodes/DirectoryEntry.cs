namespace CacheFs.Nodes;

/// <summary>One name in a directory listing. <see cref="Cookie"/> resumes the listing right after this entry.</summary>
public sealed record DirectoryEntry(string Name, long Cookie, NodeAttributes Attributes);
