namespace CacheFs.Journal;

/// <summary>
/// One name of a node. (<paramref name="Parent"/>, <paramref name="Fold"/>) is its key; <paramref name="Cookie"/> is its
/// stable position in the parent's listing.
/// </summary>
internal readonly record struct EntryRow(long Cookie, long Parent, string Name, string Fold, long Child);
