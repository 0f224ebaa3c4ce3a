using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CacheFs.Tests.Model;

/// <summary>
/// Model-based test: random operation sequences run against <see cref="CacheFs.Volume.CacheVolume"/> and
/// <see cref="NamespaceModel"/>, which must agree on every status and on the whole tree.
/// </summary>
/// <remarks>
/// Environment variables:
///   CACHEFS_MODEL_SEQUENCES  sequences per test (default 700 case-sensitive and half that case-insensitive; a third of
///                            that where no in-memory file system holds the caches);
///   CACHEFS_MODEL_STEPS      steps per sequence (default 60);
///   CACHEFS_MODEL_BASE_SEED  the first seed (default 1; "random" picks one and prints it);
///   CACHEFS_MODEL_SEED       replay exactly this seed (a failure message names it);
///   CACHEFS_MODEL_DUMP=1     fail with the whole history of each sequence, to see what a seed does.
/// A seed replays the same sequence only with the generator that found it; a bug found once is also pinned by a
/// plain test in <see cref="VolumeModelRegressionTests"/>.
/// </remarks>
public sealed class VolumeModelTests(ITestOutputHelper output)
{
    public const int DefaultSteps = 60;

    // On disk every sequence pays for the journal's fsyncs at open and close; fewer sequences keep CI under a minute.
    private static readonly int DefaultSequences = ModelSequence.InMemory ? 700 : 240;

    [Fact]
    public void RandomSequences_CaseSensitive_MatchModel() => RunMany(caseSensitive: true, DefaultSequences);

    [Fact]
    public void RandomSequences_CaseInsensitive_MatchModel() => RunMany(caseSensitive: false, DefaultSequences / 2);

    /// <summary>Runs <paramref name="seed"/>'s sequence; a divergence fails with the seed and the last steps.</summary>
    internal static void RunOne(int seed, bool caseSensitive, int steps)
    {
        using var sequence = new ModelSequence(seed, caseSensitive);
        try
        {
            sequence.Run(steps);
            if (Environment.GetEnvironmentVariable("CACHEFS_MODEL_DUMP") == "1")
                throw new InvalidOperationException("CACHEFS_MODEL_DUMP=1, the whole sequence:\n" + sequence.FullHistory);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new XunitException(
                $"Sequence seed {seed} (case-sensitive={caseSensitive}) diverged from the model; replay with " +
                $"CACHEFS_MODEL_SEED={seed} CACHEFS_MODEL_STEPS={steps}.\n{e.Message}\nLast steps:\n{sequence.History}");
        }
    }

    /// <summary>Runs the sequences on all processors (each has its own volume); reports the lowest failing seed.</summary>
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
        var failures = new ConcurrentDictionary<int, Exception>();
        Parallel.For(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (seed, loop) =>
        {
            try
            {
                RunOne(seed, caseSensitive, steps);
            }
            catch (XunitException e)
            {
                failures[seed] = e;
                loop.Stop();
            }
        });
        if (!failures.IsEmpty)
            ExceptionDispatchInfo.Throw(failures[failures.Keys.Min()]);
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
