using System.Globalization;
using CacheFs.CrashWorker;
using CacheFs.Volume;
using Serilog;

// The crash test's victim: opens a cache, says "ready", then runs a random workload until it is killed.
// Usage: CacheFs.CrashWorker <cache directory> <ledger file> <seed> [mixed|appends|held]
if (args.Length is < 3 or > 4 || !int.TryParse(args[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed))
{
    await Console.Error.WriteLineAsync("usage: CacheFs.CrashWorker <cache directory> <ledger file> <seed> [mixed|appends|held]");
    return 2;
}

var mode = args.Length == 4 ? args[3] : "mixed";
try
{
    // The volume's warnings and errors go to stderr, which the crash test shows when a round fails.
    var log = new LoggerConfiguration()
        .MinimumLevel.Warning()
        .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose, formatProvider: CultureInfo.InvariantCulture)
        .CreateLogger();
    var volume = CacheVolume.Open(new VolumeOptions { CacheDirectory = args[0] }, log);
    var ledger = LedgerWriter.Open(args[1]);
    await Console.Out.WriteLineAsync("ready");
    await Console.Out.FlushAsync();

    if (mode == "held")
    {
        HeldScenario.Build(volume, ledger);
        await Console.Out.WriteLineAsync("held");
        await Console.Out.FlushAsync();
        await Task.Delay(Timeout.InfiniteTimeSpan);
    }

    var tag = seed.ToString("x", CultureInfo.InvariantCulture);
    var ns = new Namespace(volume, new Random(seed), tag);
    var logsFolder = ns.EnsureFolders(LogAppender.Folder);
    var logs = LogAppender.Adopt(volume, logsFolder);
    var threads = new List<Thread>();
    if (mode == "appends")
    {
        // Two appenders, every append fsynced: the journal's commits and the content fsyncs interleave as tightly as they can.
        for (var i = 0; i < 2; i++)
        {
            var mine = logs.Where((_, index) => index % 2 == i).ToList();
            var appender = new LogAppender(volume, ledger, new Random(seed + i + 1), $"{tag}a{i}", logsFolder, mine) { SyncChance = 1, MaxBatch = 1 };
            threads.Add(Start(appender.Run));
        }
    }
    else
    {
        var appender = new LogAppender(volume, ledger, new Random(seed + 1), $"{tag}a", logsFolder, logs);
        threads.Add(Start(appender.Run));
        var random = new Random(seed + 2);
        var sealedFiles = new SealedFiles(ns, ledger, random);
        threads.Add(Start(new Workload(sealedFiles, new ScratchFiles(ns, random, sealedFiles.IsSealed), random).Run));
    }

    foreach (var thread in threads)
        thread.Join();
    return 0;
}
catch (Exception e)
{
    return Fail(e);
}

static Thread Start(Action run)
{
    var thread = new Thread(() =>
    {
        try
        {
            run();
        }
        catch (Exception e)
        {
            Environment.Exit(Fail(e));
        }
    }) { IsBackground = true };
    thread.Start();
    return thread;
}

static int Fail(Exception e)
{
    Console.Error.Write("crash worker failed: ");
    Console.Error.WriteLine(e.ToString());
    Console.Error.Flush();
    return 3;
}
