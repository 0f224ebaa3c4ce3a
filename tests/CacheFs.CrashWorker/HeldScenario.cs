using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.CrashWorker;

/// <summary>
/// A fixed state for recovery to clean up, built on a fresh cache and then held until the kill: open files that lost
/// their last name (one never written, so it has no object), a file whose last writes never reached the journal, a
/// sparse extension, a file replaced by rename while open, and a sealed file over it.
/// </summary>
internal static class HeldScenario
{
    public const string Folder = "held";

    /// <summary>What recovery must find after the kill.</summary>
    public const int UnlinkedNodes = 3;
    public const int LongerObjects = 1;

    public static void Build(CacheVolume volume, LedgerWriter ledger)
    {
        var folder = Expect.Ok(volume.MakeDirectory(NodeIds.Root, Folder, Namespace.FolderOwner), "mkdir held").Id;

        // Unlinked while open and never written: recovery removes a node that has no object.
        _ = Create(volume, folder, "never-written");
        Expect.Ok(volume.Unlink(folder, "never-written"), "unlink never-written");

        var (written, _) = Create(volume, folder, "written");
        Expect.Ok(volume.Write(written, 0, new byte[4096]), "write written");
        Expect.Ok(volume.Unlink(folder, "written"), "unlink written");

        // The first write of a clean file reaches the journal at once; the second stays in memory until flush or fsync.
        var (tail, _) = Create(volume, folder, "unsynced-tail");
        Expect.Ok(volume.Write(tail, 0, new byte[100]), "write unsynced-tail");
        Expect.Ok(volume.Write(tail, 100, new byte[100]), "write unsynced-tail again");

        // A sparse extension with no byte written: the object must exist before the journal holds the size.
        var (_, sparseId) = Create(volume, folder, "sparse");
        Expect.Ok(volume.SetAttributes(sparseId, new AttributeChanges { Size = 64 << 10 }).Status, "extend sparse");

        // Replaced by rename while open, by a sealed file.
        _ = Create(volume, folder, "replaced");
        var content = new byte[10_000];
        new Random(7).NextBytes(content);
        var (sealedHandle, sealedId) = Create(volume, folder, "sealed");
        Expect.Ok(volume.Write(sealedHandle, 0, content), "write sealed");
        Expect.Ok(volume.Sync(sealedHandle), "fsync sealed");
        ledger.Record($"seal {sealedId} {content.Length} {Expect.Hash(content)} {Folder}/sealed");
        Expect.Ok(volume.Release(sealedHandle), "release sealed");
        ledger.Record($"move {sealedId} {Folder}/sealed {Folder}/replaced");
        Expect.Ok(volume.Rename(folder, "sealed", folder, "replaced"), "rename sealed over replaced");
        ledger.Record($"moved {sealedId} {Folder}/sealed {Folder}/replaced");
    }

    private static (ulong Handle, long Id) Create(CacheVolume volume, long folder, string name)
    {
        var created = Expect.Ok(volume.Create(folder, name, Namespace.FileOwner, OpenFlags.ReadWrite, exclusive: true), $"create {name}");
        return (created.Handle, created.Attributes.Id);
    }
}
