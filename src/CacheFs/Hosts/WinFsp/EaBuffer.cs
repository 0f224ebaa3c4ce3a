using System.Buffers.Binary;
using System.Text;

namespace CacheFs.Hosts.WinFsp;

/// <summary>One extended attribute as Windows passes it: an ASCII name, a value, and the FILE_NEED_EA flag.</summary>
internal sealed record Ea(string Name, byte[] Value, bool NeedEa = false);

/// <summary>
/// FILE_FULL_EA_INFORMATION lists, read and written here rather than by WinFsp's .NET helpers, which call into its
/// native DLL (and so cannot run where the tests do). Each entry: NextEntryOffset (4), Flags (1), EaNameLength (1),
/// EaValueLength (2), the name and a NUL, the value; entries start on 4-byte boundaries, the last has offset 0.
/// </summary>
internal static class EaBuffer
{
    public const byte NeedEaFlag = 0x80;
    private const int HeaderSize = 8;

    /// <summary>The entries of a list, or null when it is inconsistent (an entry runs past the end, a bad offset).</summary>
    public static List<Ea>? Read(ReadOnlySpan<byte> buffer)
    {
        var entries = new List<Ea>();
        for (var offset = 0; offset < buffer.Length;)
        {
            var rest = buffer[offset..];
            if (rest.Length < HeaderSize)
                return null;
            var next = BinaryPrimitives.ReadUInt32LittleEndian(rest);
            int nameLength = rest[5], valueLength = BinaryPrimitives.ReadUInt16LittleEndian(rest[6..]);
            var size = EntrySize(nameLength, valueLength);
            if (size > rest.Length || rest[HeaderSize + nameLength] != 0 || (next != 0 && (next < size || next > rest.Length || next % 4 != 0)))
                return null;
            var name = Encoding.Latin1.GetString(rest.Slice(HeaderSize, nameLength));
            entries.Add(new Ea(name, rest.Slice(HeaderSize + nameLength + 1, valueLength).ToArray(), (rest[4] & NeedEaFlag) != 0));
            if (next == 0)
                break;
            offset += (int)next;
        }

        return entries;
    }

    /// <summary>Writes the entries that fit, in order; the length is up to the end of the last one written, as NTFS counts it.</summary>
    public static int Write(IEnumerable<Ea> entries, Span<byte> buffer)
    {
        int offset = 0, previous = -1, end = 0;
        foreach (var ea in entries)
        {
            var size = EntrySize(ea.Name.Length, ea.Value.Length);
            if (offset + size > buffer.Length)
                break;
            var entry = buffer.Slice(offset, size);
            BinaryPrimitives.WriteUInt32LittleEndian(entry, 0);
            entry[4] = ea.NeedEa ? NeedEaFlag : (byte)0;
            entry[5] = (byte)ea.Name.Length;
            BinaryPrimitives.WriteUInt16LittleEndian(entry[6..], (ushort)ea.Value.Length);
            Encoding.Latin1.GetBytes(ea.Name, entry[HeaderSize..]);
            entry[HeaderSize + ea.Name.Length] = 0;
            ea.Value.CopyTo(entry[(HeaderSize + ea.Name.Length + 1)..]);
            if (previous >= 0)
                BinaryPrimitives.WriteUInt32LittleEndian(buffer[previous..], (uint)(offset - previous));
            previous = offset;
            end = offset + size;
            offset += Aligned(size);
        }

        return end;
    }

    /// <summary>The bytes a list of these entries takes, each aligned as in a reply.</summary>
    public static int ListSize(IEnumerable<(int NameLength, int ValueLength)> entries) =>
        entries.Sum(e => Aligned(EntrySize(e.NameLength, e.ValueLength)));

    /// <summary>FileInfo.EaSize's share of one attribute (NTFS's packed size, as WinFsp computes it).</summary>
    public static uint PackedSize(int nameLength, int valueLength) => (uint)(5 + nameLength + valueLength);

    private static int EntrySize(int nameLength, int valueLength) => HeaderSize + nameLength + 1 + valueLength;

    private static int Aligned(int size) => (size + 3) & ~3;
}
