using CacheFs.Nodes;
using CacheFs.Remote;

namespace CacheFs.Volume;

/// <summary>
/// Where fetched origin bytes land: the file's content object, but only in ranges that are still missing and still
/// inside the file, so a fetch never overwrites what the user wrote or resurrects what a truncate removed.
/// </summary>
internal sealed class ObjectSink(CacheVolume volume, LiveFile file) : IContentSink
{
    // Bytes of the version the fetch asked for; if the origin's version changed meanwhile they are not the file's bytes.
    private readonly string _version = file.OriginVersion;

    public FsStatus Write(long offset, ReadOnlySpan<byte> data)
    {
        if (offset < 0)
            return FsStatus.InvalidArgument;
        try
        {
            return WriteMissing(offset, data);
        }
        catch (Exception e) when (CacheVolume.IsFault(e))
        {
            return volume.Fault(e);
        }
    }

    public bool IsPresent(long offset, long length)
    {
        lock (file.SizeLock)
            return file.OriginVersion == _version && file.IsPresent(offset, Math.Min(length, Math.Max(0, file.Size - offset)));
    }

    private FsStatus WriteMissing(long offset, ReadOnlySpan<byte> data)
    {
        lock (file.SizeLock)
        {
            var end = Math.Min(offset + data.Length, file.Size);
            if (file.Content == ContentState.Complete || end <= offset || file.OriginVersion != _version)
                return FsStatus.Ok;
            var content = volume.EnsureObjectLocked(file, create: true);
            foreach (var (start, stop) in file.Ranges.Missing(offset, end))
                RandomAccess.Write(content!, data.Slice((int)(start - offset), (int)(stop - start)), start);
            CacheVolume.MarkPresentLocked(file, offset, end);
            return FsStatus.Ok;
        }
    }
}
