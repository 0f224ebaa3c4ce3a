namespace CacheFs.Journal;

/// <summary>One name of a node: <paramref name="Cookie"/> is its stable position in the parent's listing.</summary>
internal readonly record struct EntryRow(long Cookie, long Parent, string Name, long Child);
