using System.Diagnostics;
using System.Globalization;
using CacheFs.Volume;
using Xunit.Abstractions;

namespace CacheFs.Tests.Crash;

/// <summary>
/// Rounds of crash and recovery on one cache directory: start the worker, wait for "ready", check that the cache is
/// locked, kill the worker at a random moment, reopen and check. State accumulates, so recovery runs again and again
/// on what earlier crashes and recoveries left. The directory is kept when a round fails.
/// </summary>
internal sealed class CrashRounds : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cachefs-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _ledger;
    private bool _failed;

    public CrashRounds(ITestOutputHelper output)
    {
        _output = output;
        Options = new VolumeOptions { CacheDirectory = Path.Combine(_root, "cache") };
        _ledger = Path.Combine(_root, "ledger");
        Directory.CreateDirectory(_root);
    }

    public VolumeOptions Options { get; }

    /// <summary>Runs <paramref name="rounds"/> rounds; <paramref name="pick"/> chooses each round's kill moment.</summary>
    public async Task RunAsync(int rounds, string mode, Func<Random, KillMoment> pick)
    {
        var seed = Environment.GetEnvironmentVariable("CACHEFS_CRASH_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        _output.WriteLine($"{rounds} rounds, mode {mode}, seed {seed} (CACHEFS_CRASH_SEED={seed} replays the kill moments and workload seeds)");
        var random = new Random(seed);
        var totals = new int[4];
        var started = Stopwatch.GetTimestamp();
        for (var round = 1; round <= rounds; round++)
        {
            var workerSeed = random.Next();
            var moment = pick(random);
            var killedAt = "";
            var result = await GuardAsync(
                $"round {round} (worker seed {workerSeed}, kill planned {moment})",
                async worker => killedAt = await KillAtAsync(worker, moment),
                workerSeed,
                mode);
            var r = result.Recovery;
            totals[0] += r.UnlinkedNodesRemoved;
            totals[1] += r.OrphanObjectsRemoved;
            totals[2] += r.ObjectsResized;
            totals[3] += r.MissingContentMarked;
            _output.WriteLine(
                $"round {round,3}: killed {killedAt}; recovery removed {r.UnlinkedNodesRemoved} unlinked nodes and " +
                $"{r.OrphanObjectsRemoved} orphan objects, resized {r.ObjectsResized}, marked {r.MissingContentMarked} missing; " +
                $"checked {result.SealedFiles} sealed files, {result.Logs} logs ({result.LogBytes} synced bytes), read {result.Files} files in {result.Folders} folders");
        }

        _output.WriteLine(
            $"{rounds} rounds in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s; recovery removed {totals[0]} unlinked nodes and " +
            $"{totals[1]} orphan objects, resized {totals[2]} objects, marked {totals[3]} missing");
    }

    /// <summary>One "held" worker: it builds its fixed scenario, is killed, and <paramref name="beforeReopen"/> may add to the wreck.</summary>
    public Task<CrashCheckResult> RunHeldAsync(Action<string> beforeReopen) =>
        GuardAsync(
            "the held scenario",
            async worker =>
            {
                await worker.WaitHeldAsync(StartTimeout);
                await KillAsync(worker);
                beforeReopen(Options.CacheDirectory);
            },
            0,
            "held");

    private async Task<CrashCheckResult> GuardAsync(string what, Func<CrashWorkerProcess, Task> kill, int workerSeed, string mode)
    {
        using var worker = CrashWorkerProcess.Start(Options.CacheDirectory, _ledger, workerSeed, mode);
        try
        {
            await kill(worker);

            // The kernel dropped the dead worker's flock: the cache opens at once.
            return CrashCheck.Run(Options, _ledger);
        }
        catch (Exception e)
        {
            _failed = true;
            throw new InvalidOperationException($"{what} failed; the cache is kept at {_root}\nworker stderr:\n{worker.Stderr}", e);
        }
    }

    /// <summary>Kills the worker at <paramref name="moment"/>; says when the kill really landed.</summary>
    private async Task<string> KillAtAsync(CrashWorkerProcess worker, KillMoment moment)
    {
        if (!moment.AfterReady)
        {
            // Somewhere in runtime start-up, opening the journal, recovery or the first operations.
            await Task.Delay(moment.Milliseconds);
            await KillAsync(worker);
            return moment.ToString();
        }

        var ready = await worker.WaitReadyAsync(StartTimeout);
        if (moment.Milliseconds >= 50)
        {
            // While the worker lives, its flock keeps every other volume out, and the refusal names the holder.
            var open = () =>
            {
                using var intruder = CacheVolume.Open(Options, TestVolume.Logger);
            };
            open.Should().Throw<CacheInUseException>().Which.Message.Should().Contain($"process {worker.Id}");
        }

        // The random moment of the kill, counted from "ready"; not a wait for a condition.
        var left = TimeSpan.FromMilliseconds(moment.Milliseconds) - Stopwatch.GetElapsedTime(ready);
        if (left > TimeSpan.Zero)
            await Task.Delay(left);
        var landed = Stopwatch.GetElapsedTime(ready);
        await KillAsync(worker);
        return $"{landed.TotalMilliseconds,3:F0} ms after ready (planned {moment.Milliseconds})";
    }

    private static async Task KillAsync(CrashWorkerProcess worker)
    {
        worker.HasExited.Should().BeFalse("the worker runs until it is killed");
        var status = await worker.KillAsync(ExitTimeout);
        status.Should().Be(128 + 9, "the worker dies of SIGKILL, with no chance to clean up");
        worker.Stderr.Split('\n').Should().NotContain(
            line => line.Contains("[ERR]", StringComparison.Ordinal) || line.Contains("[FTL]", StringComparison.Ordinal),
            "the volume reported no error while the worker ran");
    }

    public void Dispose()
    {
        if (_failed)
            return;
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
