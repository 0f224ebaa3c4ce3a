using System.Buffers;
using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Origin.Content;

/// <summary>
/// Builds a ranged upload's new content in a temp file: the base version copied (in the kernel where it can), cut or
/// zero-extended to the new size, each frame of the body written over it, and the file synced. Every frame is checked
/// before its bytes are written; a bad one is 400 and the caller deletes the temp file, so nothing served changes.
/// </summary>
internal static class PatchReceiver
{
    private const int BufferSize = 1024 * 1024;

    public static async Task ReceiveAsync(Stream body, SafeFileHandle? baseContent, string temp, long size, long length, CancellationToken cancel)
    {
        if (new DriveInfo(Path.GetDirectoryName(temp)!).AvailableFreeSpace < size)
            throw new OriginException(ErrorCode.NoSpace, $"The origin's disk has no room for {size} bytes");
        using var file = File.OpenHandle(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        if (baseContent is not null)
            CopyBase(baseContent, file, Math.Min(size, RandomAccess.GetLength(baseContent)));
        RandomAccess.SetLength(file, size);

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long received = 0;
            long previousEnd = 0;
            while (received < length)
            {
                if (length - received < ContentPatch.FrameHeaderSize)
                    throw OriginException.BadRequest($"The ranged upload ends inside a frame header at byte {received}");
                await ReadExactlyAsync(body, buffer.AsMemory(0, ContentPatch.FrameHeaderSize), received, length, cancel);
                received += ContentPatch.FrameHeaderSize;
                var (offset, count) = ContentPatch.ReadFrameHeader(buffer);
                if (offset < previousEnd || count <= 0 || offset > size || count > size - offset)
                    throw OriginException.BadRequest($"Bad range [{offset}, +{count}) after byte {previousEnd} of a {size}-byte file: ranges must be non-empty, in order, not overlapping and within the new size");
                if (count > length - received)
                    throw OriginException.BadRequest($"The range at {offset} claims {count} bytes; the body has {length - received} left");
                for (var at = offset; at < offset + count;)
                {
                    var chunk = (int)Math.Min(buffer.Length, offset + count - at);
                    await ReadExactlyAsync(body, buffer.AsMemory(0, chunk), received, length, cancel);
                    RandomAccess.Write(file, buffer.AsSpan(0, chunk), at);
                    at += chunk;
                    received += chunk;
                }

                previousEnd = offset + count;
            }

            if (await ReadSomeAsync(body, buffer.AsMemory(0, 1), received, length, cancel) != 0)
                throw new OriginException(ErrorCode.IncompleteUpload, $"The upload sent more than its Content-Length of {length} bytes");
            RandomAccess.FlushToDisk(file);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The base's first <paramref name="count"/> bytes into the new file: copy_file_range, else read and write.</summary>
    private static void CopyBase(SafeFileHandle from, SafeFileHandle to, long count)
    {
        long copied = 0;
        if (OperatingSystem.IsLinux())
        {
            long inOffset = 0;
            long outOffset = 0;
            while (copied < count)
            {
                var n = Native.CopyFileRange((int)from.DangerousGetHandle(), ref inOffset, (int)to.DangerousGetHandle(), ref outOffset, (nuint)Math.Min(count - copied, 1L << 30), 0);
                if (n <= 0)
                    break; // an error (another file system, an old kernel) or a base cut meanwhile: the loop below finishes
                copied += n;
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (copied < count)
            {
                var n = RandomAccess.Read(from, buffer.AsSpan(0, (int)Math.Min(buffer.Length, count - copied)), copied);
                if (n == 0)
                    return; // cut meanwhile: that change moved the version, so the commit refuses this upload
                RandomAccess.Write(to, buffer.AsSpan(0, n), copied);
                copied += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task ReadExactlyAsync(Stream body, Memory<byte> destination, long received, long length, CancellationToken cancel)
    {
        for (var filled = 0; filled < destination.Length;)
        {
            var n = await ReadSomeAsync(body, destination[filled..], received + filled, length, cancel);
            if (n == 0)
                throw new OriginException(ErrorCode.IncompleteUpload, $"The upload ended after {received + filled} of {length} bytes");
            filled += n;
        }
    }

    private static async Task<int> ReadSomeAsync(Stream body, Memory<byte> destination, long received, long length, CancellationToken cancel)
    {
        try
        {
            return await body.ReadAsync(destination, cancel);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            throw new OriginException(ErrorCode.IncompleteUpload, $"The upload ended after {received} of {length} bytes: {e.Message}");
        }
    }
}
