using System.Globalization;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CacheFs.Tests.Model;

/// <summary>
/// Model-based test: random operation sequences run against <see cref="CacheFs.Volume.CacheVolume"/> and
/// <see cref="NamespaceModel"/>, which must agree on every status and on the whole tree.
/// </summary>
/// <remarks>
/// Environment: CACHEFS_MODEL_SEQUENCES (sequences per test, default 300 case-sensitive and a third of that
/// case-insensitive), CACHEFS_MODEL_STEPS (steps per sequence, default 60), CACHEFS_MODEL_BASE_SEED (first seed,
/// default 1; "random" picks one), CACHEFS_MODEL_SEED (replay exactly one seed).
/// </remarks>
public sealed class VolumeModelTests(ITestOutputHelper output)
{
    private const int DefaultSequences = 300;
    private const int DefaultSteps = 60;

    [Fact]
    public void RandomSequences_CaseSensitive_MatchModel() => RunMany(caseSensitive: true, DefaultSequences);

    [Fact]
    public void RandomSequences_CaseInsensitive_MatchModel() => RunMany(caseSensitive: false, DefaultSequences / 3);

    /// <summary>Seeds that once found a bug, kept so the bug stays fixed.</summary>
    [Theory]
    [InlineData(129, false)] // rename NoReplace onto another hard link of the same file reported success

    public void RegressionSeed_Replayed_MatchesModel(int seed, bool caseSensitive) => RunOne(seed, caseSensitive, DefaultSteps);

    private void RunMany(bool caseSensitive, int defaultCount)
    {
        var steps = Setting("CACHEFS_MODEL_STEPS") ?? DefaultSteps;
        if (Setting("CACHEFS_MODEL_SEED") is { } only)
        {
            RunOne(only, caseSensitive, steps);
            return;
        }

        var count = Setting("CACHEFS_MODEL_SEQUENCES") ?? defaultCount;
        var first = Environment.GetEnvironmentVariable("CACHEFS_MODEL_BASE_SEED") == "random"
            ? Random.Shared.Next(1, int.MaxValue / 2)
            : Setting("CACHEFS_MODEL_BASE_SEED") ?? 1;
        output.WriteLine($"{count} sequences of {steps} steps, seeds {first}..{first + count - 1}, case-sensitive={caseSensitive}");
        for (var seed = first; seed < first + count; seed++)
            RunOne(seed, caseSensitive, steps);
    }

    private static void RunOne(int seed, bool caseSensitive, int steps)
    {
        using var sequence = new ModelSequence(seed, caseSensitive);
        try
        {
            sequence.Run(steps);
            if (Environment.GetEnvironmentVariable("CACHEFS_MODEL_DUMP") == "1")
                throw new InvalidOperationException(sequence.FullHistory);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new XunitException(
                $"Sequence seed {seed} (case-sensitive={caseSensitive}) diverged from the model; replay with " +
                $"CACHEFS_MODEL_SEED={seed} CACHEFS_MODEL_STEPS={steps}.\n{e.Message}\nLast steps:\n{sequence.History}");
        }
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
