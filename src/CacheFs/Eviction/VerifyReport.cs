namespace CacheFs.Eviction;

/// <summary>One disagreement between the journal and the content objects.</summary>
public sealed record VerifyProblem(string Path, string Problem, bool Harmless = false);

/// <summary>What `cachefs cache verify` found: files checked, and every object that disagrees with its row.</summary>
public sealed record VerifyReport
{
    public int FilesChecked { get; init; }
    public int ObjectsChecked { get; init; }
    public IReadOnlyList<VerifyProblem> Problems { get; init; } = [];

    /// <summary>No problem other than stray objects (which only take space; the next mount removes them).</summary>
    public bool Consistent => Problems.All(p => p.Harmless);
}
