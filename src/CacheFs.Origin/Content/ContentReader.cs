using System.Buffers;
using System.Globalization;
using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Win32.SafeHandles;

namespace CacheFs.Origin.Content;

/// <summary>
/// GET /v1/content: one version of a file's bytes, whole or one range. The row and the open file are paired under the
/// gate (an upload replaces the file by rename, so the open handle keeps the bytes of the version the ETag names);
/// the copy runs outside it, with a large buffer and no per-block work beyond one pread and one write.
/// </summary>
internal sealed class ContentReader(OriginTree tree)
{
    private const int BufferSize = 1024 * 1024;

    public async Task GetAsync(HttpContext context)
    {
        var cancel = context.RequestAborted;
        var path = tree.Paths.Check(RequestInput.Path(context));
        NodeRow node;
        SafeFileHandle? handle;
        using (await tree.Gate.EnterAsync(cancel))
        {
            node = tree.Database.FindLocked(path) ?? throw OriginException.NotFound(path);
            if (node.Kind != RemoteKind.File)
                throw new OriginException(node.IsDirectory ? ErrorCode.IsDirectory : ErrorCode.InvalidArgument, $"'{path}' is a {node.Kind}, not a file with content");
            var ifMatch = context.Request.Headers.IfMatch;
            if (ifMatch.Count > 0 && !EntityTags.Matches(ifMatch, node.ContentVersion))
                throw new OriginException(ErrorCode.VersionMismatch, $"'{path}' has content version {node.ContentVersion}, not {ifMatch}") { CurrentVersion = node.ContentVersion };
            handle = node.Size == 0 ? null : tree.Disk.OpenRead(path);
        }

        using (handle)
        {
            var response = context.Response;
            response.Headers.ETag = EntityTags.Of(node.ContentVersion);
            response.Headers.AcceptRanges = "bytes";
            var range = ByteRange.Parse(context.Request.Headers.Range, node.Size);
            if (range.Kind == RangeKind.Unsatisfiable)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = "bytes */" + node.Size.ToString(CultureInfo.InvariantCulture);
                return;
            }

            response.ContentType = "application/octet-stream";
            response.ContentLength = range.Length;
            if (range.Kind == RangeKind.Partial)
            {
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.Start + range.Length - 1}/{node.Size}");
            }

            if (handle is null || HttpMethods.IsHead(context.Request.Method))
                return;
            await CopyAsync(handle, range.Start, range.Length, response.Body, cancel);
        }
    }

    private static async Task CopyAsync(SafeFileHandle handle, long offset, long length, Stream body, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(BufferSize, Math.Max(length, 1)));
        try
        {
            while (length > 0)
            {
                // A plain pread: from the page cache it returns at once, and it saves a thread-pool hop per block.
                var read = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length)), offset);
                if (read == 0)
                    throw new IOException("The file became shorter while it was sent");
                await body.WriteAsync(buffer.AsMemory(0, read), cancel);
                offset += read;
                length -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
