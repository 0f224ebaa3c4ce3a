using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CacheFs.Protocol;
using CacheFs.Remote;
using CacheFs.Volume;
using Polly;

namespace CacheFs.Sync.Origin;

/// <summary>Content: ranges of one version into the cache, and whole files up to the origin.</summary>
public sealed partial class OriginClient
{
    /// <summary>The slowest rate a transfer may keep before it counts as stalled (its time limit grows with its length).</summary>
    private const long SlowestBytesPerSecond = 256 * 1024;

    /// <summary>
    /// Writes [offset, offset + length) of version <paramref name="contentVersion"/> of <paramref name="path"/> into
    /// <paramref name="sink"/> as it arrives and returns how many bytes came (fewer at the end of the file). A version
    /// the origin no longer has is <see cref="ErrorCode.VersionMismatch"/>.
    /// </summary>
    public async Task<long> ReadRangeAsync(string path, string contentVersion, long offset, long length, IContentSink sink, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(OriginResilience.AttemptTimeoutKey, TransferLimit(length));
        try
        {
            return await Resilience.Idempotent.ExecuteAsync(
                async ctx =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, WithPath(Routes.Content, path));
                    request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
                    if (contentVersion.Length > 0)
                        request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{contentVersion}\""));
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                        return 0L;
                    await ThrowIfRefusedAsync(response, ctx.CancellationToken).ConfigureAwait(false);

                    // A 200 is the whole file (a server may ignore Range): skip to the offset asked for.
                    var start = response.StatusCode == HttpStatusCode.PartialContent ? response.Content.Headers.ContentRange?.From ?? offset : 0;
                    var stream = await response.Content.ReadAsStreamAsync(ctx.CancellationToken).ConfigureAwait(false);
                    return await CopyToSinkAsync(stream, start, offset, offset + length, sink, ctx.CancellationToken).ConfigureAwait(false);
                },
                context).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, ct))
        {
            throw new OriginUnavailableException($"cannot read {path} from the origin at {Origin}: {e.Message}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// Stores <paramref name="source"/>'s bytes as the new content of <paramref name="path"/>: If-Match on
    /// <paramref name="baseVersion"/>, or, when it is empty, If-None-Match for a name the origin must not have yet.
    /// Not retried: the outbox decides.
    /// </summary>
    public Task<NodeInfo> UploadAsync(string path, UploadSource source, string baseVersion, Mutation mutation, CancellationToken ct) =>
        SendUploadAsync(
            path,
            source.Size,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Put, WithPath(Routes.Content, path)) { Content = new UploadContent(source) };
                if (baseVersion.Length > 0)
                    request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{baseVersion}\""));
                else
                    request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
                mutation.Apply(request);
                return request;
            },
            ct);

    /// <summary>
    /// Sends one upload request (made anew for the attempt) of <paramref name="length"/> bytes, once, with an attempt
    /// timeout sized to the transfer, and returns the node the origin stored; an unreachable origin is
    /// <see cref="OriginUnavailableException"/>.
    /// </summary>
    private async Task<NodeInfo> SendUploadAsync(string path, long length, Func<HttpRequestMessage> makeRequest, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(OriginResilience.AttemptTimeoutKey, TransferLimit(length));
        try
        {
            return await Resilience.Once.ExecuteAsync(
                async ctx =>
                {
                    using var request = makeRequest();
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ctx.CancellationToken).ConfigureAwait(false);
                    await ThrowIfRefusedAsync(response, ctx.CancellationToken).ConfigureAwait(false);
                    return await response.Content.ReadFromJsonAsync(Json.NodeInfo, ctx.CancellationToken).ConfigureAwait(false)
                        ?? throw new OriginUnavailableException($"the origin sent an empty answer to the upload of {path}");
                },
                context).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, ct))
        {
            throw new OriginUnavailableException($"cannot upload {path} to the origin at {Origin}: {e.Message}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private TimeSpan TransferLimit(long length) =>
        Resilience.Options.AttemptTimeout + TimeSpan.FromSeconds((double)length / SlowestBytesPerSecond);

    private static async Task<long> CopyToSinkAsync(Stream stream, long position, long from, long to, IContentSink sink, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long written = 0;
            while (position < to)
            {
                var n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0)
                    break;
                var start = Math.Max(position, from);
                var end = Math.Min(position + n, to);
                if (end > start)
                {
                    var status = sink.Write(start, buffer.AsSpan((int)(start - position), (int)(end - start)));
                    if (status != FsStatus.Ok)
                        throw new IOException($"the cache refused fetched bytes: {status}");
                    written += end - start;
                }

                position += n;
            }

            return written;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A file's bytes as a request body of exact length, read from the cache as the request goes out.</summary>
    /// <summary>Writes bytes [<paramref name="start"/>, <paramref name="end"/>) of an upload to the request body.</summary>
    private static async Task SendBytesAsync(UploadSource source, long start, long end, byte[] buffer, Stream stream, CancellationToken ct)
    {
        for (var offset = start; offset < end;)
        {
            var n = source.Read(offset, buffer.AsSpan(0, (int)Math.Min(buffer.Length, end - offset)));
            if (n <= 0)
                throw new IOException(string.Create(CultureInfo.InvariantCulture, $"the cached content of node {source.NodeId} ended at {offset} of {source.Size} bytes"));
            await stream.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            offset += n;
        }
    }

    private sealed class UploadContent : HttpContent
    {
        private readonly UploadSource _source;

        public UploadContent(UploadSource source)
        {
            _source = source;
            Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            Headers.ContentLength = source.Size;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                await SendBytesAsync(_source, 0, _source.Size, buffer, stream, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _source.Size;
            return true;
        }
    }
}
