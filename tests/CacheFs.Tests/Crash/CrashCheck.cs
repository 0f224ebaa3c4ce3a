using CacheFs.CrashWorker;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Crash;

/// <summary>What one reopen after a kill found: recovery's report and how much the ledger promised.</summary>
internal sealed record CrashCheckResult(RecoveryReport Recovery, int SealedFiles, int Logs, long LogBytes, int Files, int Folders);

/// <summary>
/// Reopens a cache a worker was killed on and checks it: the journal is sound, every promise in the ledger holds, and
/// the journal and the content objects agree. Then rewrites the ledger with the promises as they now stand.
/// </summary>
internal static class CrashCheck
{
    public static CrashCheckResult Run(VolumeOptions options, string ledgerPath)
    {
        var (ledger, _) = LedgerState.Load(ledgerPath);
        RecoveryReport recovery;
        long logBytes;
        (int Files, int Folders) tree;
        using (var volume = CacheVolume.Open(options, TestVolume.Logger))
        {
            recovery = volume.LastRecovery;
            volume.CheckJournalIntegrity().Should().Be("ok");

            // Everything in this cache was written locally, so no content may ever go missing.
            recovery.MissingContentMarked.Should().Be(0, "no row of a purely local cache may lose its content");
            recovery.DirtyContentLost.Should().BeEmpty();

            foreach (var file in ledger.Sealed.Values)
                CheckSealed(volume, file);
            logBytes = ledger.Logs.Sum(log => CheckLog(volume, log.Key, log.Value));
            tree = ReadEverything(volume, NodeIds.Root);
        }

        JournalAudit.Run(options.CacheDirectory);
        Rewrite(ledgerPath, ledger);
        return new CrashCheckResult(recovery, ledger.Sealed.Count, ledger.Logs.Count, logBytes, tree.Files, tree.Folders);
    }

    /// <summary>Each name is where the ledger says (one of two, for a rename the kill interrupted); the bytes and xattrs are exact.</summary>
    private static void CheckSealed(CacheVolume volume, SealedFile file)
    {
        for (var i = 0; i < file.Slots.Count; i++)
        {
            var slot = file.Slots[i];
            var holders = slot.Where(path => volume.Resolve(path) is { IsOk: true } found && found.Value.Id == file.Id).ToArray();
            holders.Should().ContainSingle($"sealed file {file.Id} must be at exactly one of {string.Join(" or ", slot)}");
            file.Slots[i] = holders;
        }

        var content = Expect.ReadAll(volume, file.Id);
        content.Length.Should().Be((int)file.Length, $"sealed file {file.Id} ({file.Slots[0][0]}) was fsynced with this size");
        Expect.Hash(content).Should().Be(file.Hash, $"sealed file {file.Id} ({file.Slots[0][0]}) was fsynced with these bytes");
        foreach (var (name, hex) in file.Xattrs)
        {
            var value = volume.GetXattr(file.Id, name);
            value.Status.Should().Be(FsStatus.Ok, $"xattr {name} of sealed file {file.Id} was set");
            Convert.ToHexStringLower(value.Value).Should().Be(hex);
        }
    }

    /// <summary>The log holds at least its fsynced prefix, byte for byte.</summary>
    private static long CheckLog(CacheVolume volume, string path, LogPrefix prefix)
    {
        var found = volume.Resolve(path);
        found.Status.Should().Be(FsStatus.Ok, $"log {path} was fsynced at {prefix.Length} bytes");
        found.Value.Size.Should().BeGreaterThanOrEqualTo(prefix.Length, $"log {path} was fsynced at {prefix.Length} bytes");
        var content = Expect.ReadAll(volume, found.Value.Id);
        Expect.Hash(content.AsSpan(0, (int)prefix.Length)).Should().Be(prefix.Hash, $"the first {prefix.Length} bytes of log {path} were fsynced");
        return prefix.Length;
    }

    /// <summary>Every file in the tree reads to its size: nothing a crash left behind is unreadable.</summary>
    private static (int Files, int Folders) ReadEverything(CacheVolume volume, long folder)
    {
        var (files, folders) = (0, 1);
        foreach (var entry in Expect.List(volume, folder).ToList())
        {
            if (entry.Attributes.IsDirectory)
            {
                var below = ReadEverything(volume, entry.Attributes.Id);
                files += below.Files;
                folders += below.Folders;
            }
            else if (entry.Attributes.Kind == NodeKind.File)
            {
                Expect.ReadAll(volume, entry.Attributes.Id).Length.Should().Be((int)entry.Attributes.Size);
                files++;
            }
        }

        return (files, folders);
    }

    /// <summary>The next worker starts from the promises as verified: interrupted renames resolved, a torn last record gone.</summary>
    private static void Rewrite(string ledgerPath, LedgerState ledger)
    {
        var next = ledgerPath + ".next";
        File.WriteAllLines(next, ledger.Records());
        File.Move(next, ledgerPath, overwrite: true);
    }
}
