using System.Buffers.Binary;

namespace CacheFs.Protocol;

/// <summary>
/// The body of a ranged upload (PATCH <see cref="Routes.Content"/>): frames of (offset, length, bytes), the two numbers
/// big-endian 64-bit; offsets strictly increasing, no two ranges overlapping, none empty and none past the new size.
/// The new content is the base version cut or zero-extended to <see cref="Headers.ContentSize"/>, with each frame's
/// bytes written over it.
/// </summary>
public static class ContentPatch
{
    public const string MediaType = "application/vnd.cachefs.ranges";

    public const int FrameHeaderSize = 16;

    /// <summary>The body length of a patch carrying <paramref name="ranges"/>.</summary>
    public static long BodyLength(IEnumerable<(long Start, long End)> ranges) =>
        ranges.Sum(r => FrameHeaderSize + (r.End - r.Start));

    public static void WriteFrameHeader(Span<byte> destination, long offset, long length)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, offset);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], length);
    }

    public static (long Offset, long Length) ReadFrameHeader(ReadOnlySpan<byte> source) =>
        (BinaryPrimitives.ReadInt64BigEndian(source), BinaryPrimitives.ReadInt64BigEndian(source[8..]));
}
