using System.Buffers;
using System.Security.Cryptography;
using CacheFs.Origin.Http;
using CacheFs.Origin.Storage;
using CacheFs.Protocol;
using Microsoft.AspNetCore.Http;

namespace CacheFs.Origin.Content;

/// <summary>
/// Receives an upload's body into a temp file: exactly Content-Length bytes, the optional SHA-256 checked, the space
/// reserved up front (a full disk fails before the transfer, not after), and the file synced before it is installed.
/// </summary>
internal static class UploadReceiver
{
    private const int BufferSize = 1024 * 1024;

    public static async Task ReceiveAsync(Stream body, string temp, long length, byte[]? digest, CancellationToken cancel)
    {
        // Checked before any byte is read: the client learns at once, and the old version is never at risk.
        if (new DriveInfo(Path.GetDirectoryName(temp)!).AvailableFreeSpace < length)
            throw new OriginException(ErrorCode.NoSpace, $"The origin's disk has no room for {length} bytes");
        using var hash = digest is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long received = 0;
        try
        {
            await using var file = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
                PreallocationSize = length,
            });
            while (true)
            {
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, cancel);
                }
                catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
                {
                    throw new OriginException(ErrorCode.IncompleteUpload, $"The upload ended after {received} of {length} bytes: {e.Message}");
                }

                if (read == 0)
                    break;
                received += read;
                if (received > length)
                    throw new OriginException(ErrorCode.IncompleteUpload, $"The upload sent more than its Content-Length of {length} bytes");
                hash?.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancel);
            }

            if (received != length)
                throw new OriginException(ErrorCode.IncompleteUpload, $"The upload ended after {received} of {length} bytes");
            if (hash is not null && !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), digest))
                throw new OriginException(ErrorCode.DigestMismatch, $"The upload's bytes do not match its {Headers.ContentSha256}");
            file.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The X-CacheFs-Content-Sha256 header as bytes, or null when absent.</summary>
    public static byte[]? Digest(HttpContext context)
    {
        var text = context.Request.Headers[Headers.ContentSha256].ToString();
        if (text.Length == 0)
            return null;
        try
        {
            return text.Length == 64 ? Convert.FromHexString(text) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw OriginException.BadRequest($"{Headers.ContentSha256} must be 64 hex digits");
        }
    }
}
