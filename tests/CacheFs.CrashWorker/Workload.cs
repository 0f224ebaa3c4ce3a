namespace CacheFs.CrashWorker;

/// <summary>The endless mixed workload: a weighted random choice among sealed-file and scratch operations.</summary>
internal sealed class Workload(SealedFiles sealedFiles, ScratchFiles scratch, Random random)
{
    private const int MaxSealed = 120;
    private const int MaxScratch = 60;

    public void Run()
    {
        sealedFiles.Adopt();
        var scratchCount = scratch.CountInTops();
        for (var step = 1; ; step++)
        {
            if (step % 64 == 0)
                scratchCount = scratch.CountInTops();
            var crowded = sealedFiles.Count > MaxSealed;
            var messy = scratchCount > MaxScratch;
            var operations = new (int Weight, Action Run)[]
            {
                (crowded ? 2 : 8, sealedFiles.Create),
                (6, sealedFiles.Rename),
                (2, sealedFiles.Link),
                (crowded ? 12 : 2, sealedFiles.Unlink),
                (3, sealedFiles.ChangeXattr),
                (2, sealedFiles.Verify),
                (messy ? 1 : 8, scratch.Create),
                (4, scratch.Open),
                (14, scratch.WriteOpen),
                (4, scratch.Truncate),
                (2, scratch.Allocate),
                (4, scratch.Sync),
                (4, scratch.Close),
                (8, scratch.Rename),
                (messy ? 16 : 5, scratch.Unlink),
                (2, scratch.Link),
                (1, scratch.MakeSpecial),
                (3, scratch.ChangeXattr),
                (2, scratch.MakeFolder),
                (2, scratch.RemoveFolder),
                (2, scratch.RenameFolder),
                (3, scratch.OpenUnlinkWrite),
                (1, scratch.SyncVolume),
            };
            Pick(operations)();
        }
    }

    private Action Pick((int Weight, Action Run)[] operations)
    {
        var roll = random.Next(operations.Sum(o => o.Weight));
        foreach (var (weight, run) in operations)
        {
            if (roll < weight)
                return run;
            roll -= weight;
        }

        return operations[^1].Run;
    }
}
