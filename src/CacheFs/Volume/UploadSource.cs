using CacheFs.Content;

namespace CacheFs.Volume;

/// <summary>
/// The bytes of one file on their way to the origin. It holds the file open (so its content stays) and remembers the
/// content generation it started from: if the file changes while its bytes are read, the upload does not make it clean.
/// </summary>
public sealed class UploadSource : IDisposable
{
    private readonly CacheVolume _volume;
    private int _disposed;

    internal UploadSource(CacheVolume volume, LiveFile file)
    {
        _volume = volume;
        File = file;
    }

    public long NodeId => File.Id;

    public long Size { get; private set; }

    /// <summary>The origin's version these bytes were based on; empty for a file the origin has never had.</summary>
    public string BaseVersion { get; private set; } = "";

    public long OriginId { get; private set; }

    /// <summary>
    /// A superset of the ranges (clipped to <see cref="Size"/>) that differ from <see cref="BaseVersion"/> resized to
    /// <see cref="Size"/>: what a ranged upload sends. Null when not known: the whole file must go up.
    /// </summary>
    public RangeSet? Changes { get; private set; }

    internal long Generation { get; private set; }

    internal LiveFile File { get; }

    /// <summary>Reads the file's current bytes at <paramref name="offset"/>; 0 at the end.</summary>
    public int Read(long offset, Span<byte> buffer)
    {
        if (offset >= Size)
            return 0;
        var length = (int)Math.Min(buffer.Length, Size - offset);
        var n = CacheVolume.ReadForUpload(File, offset, buffer[..length]);

        // Past the object's end the file is a hole: zeros.
        if (n == 0)
        {
            buffer[..length].Clear();
            return length;
        }

        return n;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _volume.EndUpload(File);
    }

    internal void Start(long size, long generation, string baseVersion, long originId, RangeSet? changes)
    {
        Changes = changes;
        Size = size;
        Generation = generation;
        BaseVersion = baseVersion;
        OriginId = originId;
    }
}
