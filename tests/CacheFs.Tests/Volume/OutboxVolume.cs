using CacheFs.Nodes;
using CacheFs.Remote;
using CacheFs.Volume;

namespace CacheFs.Tests.Volume;

/// <summary>
/// A mirrored volume (<see cref="VolumeOptions.Outbox"/>) on a fresh temporary cache directory, with no sync engine
/// attached: the tests play the engine's part by hand. Removed on dispose.
/// </summary>
public sealed class OutboxVolume : IDisposable
{
    private readonly List<string> _directories = [];

    public OutboxVolume(bool outbox = true, TimeProvider? time = null)
    {
        Directory = NewDirectory();
        Time = time ?? TimeProvider.System;
        Options = new VolumeOptions { CacheDirectory = Directory, Outbox = outbox };
        Volume = CacheVolume.Open(Options, TestVolume.Logger, Time);
    }

    public string Directory { get; private set; }

    public TimeProvider Time { get; }

    public VolumeOptions Options { get; private set; }

    public CacheVolume Volume { get; private set; }

    /// <summary>Everything queued, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> Outbox => Volume.ReadOutbox(0, 10_000);

    /// <summary>Closes and reopens the volume on the same directory (a clean remount: open handles are released first).</summary>
    public void Reopen()
    {
        Volume.Dispose();
        Volume = CacheVolume.Open(Options, TestVolume.Logger, Time);
    }

    /// <summary>
    /// What a killed process leaves: the journal and its write-ahead log and the content objects are copied as they are
    /// now, open handles and all, and the volume is reopened on the copy (the original is closed without its releases
    /// ever reaching the copy).
    /// </summary>
    public void Crash()
    {
        var image = NewDirectory();
        System.IO.Directory.CreateDirectory(image);
        foreach (var file in new[] { "journal.db", "journal.db-wal" })
        {
            var from = Path.Combine(Directory, file);
            if (File.Exists(from))
                File.Copy(from, Path.Combine(image, file));
        }

        var objects = Path.Combine(Directory, "objects");
        foreach (var file in System.IO.Directory.EnumerateFiles(objects, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(image, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        Volume.Dispose();
        Directory = image;
        Options = Options with { CacheDirectory = image };
        Volume = CacheVolume.Open(Options, TestVolume.Logger, Time);
    }

    public long MakeFile(string name, byte[]? content = null, long parent = NodeIds.Root) => Volume.MakeFile(name, content, parent);

    public long MakeDir(string name, long parent = NodeIds.Root) => Volume.MakeDir(name, parent);

    /// <summary>
    /// Plays the sync engine for everything queued: the origin accepted each entry. A node the origin did not know yet
    /// gets origin id 1000 + its id.
    /// </summary>
    public void AcknowledgeAll()
    {
        foreach (var entry in Outbox)
        {
            var known = Volume.GetAttributes(entry.NodeId) is { IsOk: true } node ? node.Value.OriginId : 0;
            var originId = known != 0 ? known : 1000 + entry.NodeId;
            if (entry.Kind == OutboxKind.Upload)
            {
                using var source = Volume.OpenUploadAsync(entry.NodeId, CancellationToken.None).AsTask().GetAwaiter().GetResult().Value;
                Volume.FinishUpload(source, entry, originId, "up" + entry.Sequence).Should().Be(FsStatus.Ok);
            }
            else
            {
                Volume.CompleteOutbox(entry, originId, "made" + entry.Sequence).Should().Be(FsStatus.Ok);
            }
        }

        Volume.OutboxLength.Should().Be(0);
    }

    public byte[] ReadAll(long id) => Volume.ReadAll(id);

    public IReadOnlyList<string> List(long directory = NodeIds.Root) => Volume.List(directory);

    public void Dispose()
    {
        Volume.Dispose();
        foreach (var directory in _directories)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private string NewDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cachefs-outbox-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return directory;
    }
}

/// <summary>Origin content by version, for tests that fill placeholders; every request is recorded.</summary>
internal sealed class VersionFetcher : IContentFetcher
{
    private readonly Dictionary<string, byte[]> _versions = [];

    public List<ContentRequest> Requests { get; } = [];

    public byte[] this[string version]
    {
        get => _versions[version];
        set => _versions[version] = value;
    }

    public ValueTask<FsStatus> FetchAsync(ContentRequest request, IContentSink sink, CancellationToken cancellationToken)
    {
        lock (Requests)
            Requests.Add(request);
        if (!_versions.TryGetValue(request.OriginVersion, out var content))
            return ValueTask.FromResult(FsStatus.ContentUnavailable);
        var end = (int)Math.Min(content.Length, request.Offset + request.Length);
        var start = (int)Math.Min(request.Offset, end);
        return ValueTask.FromResult(sink.Write(start, content.AsSpan(start, end - start)));
    }
}

internal static class OutboxAssertions
{
    /// <summary>The kinds of everything queued, oldest first.</summary>
    public static IReadOnlyList<OutboxKind> Outbox(this CacheVolume volume) => [.. volume.ReadOutbox(0, 10_000).Select(e => e.Kind)];
}
