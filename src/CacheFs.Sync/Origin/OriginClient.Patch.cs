using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CacheFs.Content;
using CacheFs.Protocol;
using CacheFs.Volume;
using Polly;

namespace CacheFs.Sync.Origin;

/// <summary>Ranged uploads: only the changed ranges of a file go up, applied by the origin to the base version.</summary>
public sealed partial class OriginClient
{
    /// <summary>
    /// Stores <paramref name="source"/>'s bytes as the new content of <paramref name="path"/> by sending only
    /// <paramref name="ranges"/>: the origin builds it from <paramref name="baseVersion"/> (If-Match; 412
    /// VersionMismatch when the origin has moved on) resized to the source's size. Not retried: the outbox decides.
    /// </summary>
    public Task<NodeInfo> PatchAsync(string path, UploadSource source, RangeSet ranges, string baseVersion, Mutation mutation, CancellationToken ct)
    {
        var frames = ranges.ToList();
        var length = ContentPatch.BodyLength(frames);
        return SendUploadAsync(
            path,
            length,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Patch, WithPath(Routes.Content, path)) { Content = new PatchContent(source, frames, length) };
                request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{baseVersion}\""));
                request.Headers.Add(Headers.ContentSize, source.Size.ToString(CultureInfo.InvariantCulture));
                mutation.Apply(request);
                return request;
            },
            ct);
    }

    /// <summary>Whether the origin answered that it has no ranged upload (an older origin): the whole file goes instead.</summary>
    public static bool NoRangedUpload(OriginException e) =>
        e.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented;

    /// <summary>The frames of a ranged upload, each read from the cache as the request goes out.</summary>
    private sealed class PatchContent : HttpContent
    {
        private readonly UploadSource _source;
        private readonly List<(long Start, long End)> _frames;
        private readonly long _length;

        public PatchContent(UploadSource source, List<(long Start, long End)> frames, long length)
        {
            _source = source;
            _frames = frames;
            _length = length;
            Headers.ContentType = new MediaTypeHeaderValue(ContentPatch.MediaType);
            Headers.ContentLength = length;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                foreach (var (start, end) in _frames)
                {
                    ContentPatch.WriteFrameHeader(buffer, start, end - start);
                    await stream.WriteAsync(buffer.AsMemory(0, ContentPatch.FrameHeaderSize), cancellationToken).ConfigureAwait(false);
                    await SendBytesAsync(_source, start, end, buffer, stream, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }
    }
}
