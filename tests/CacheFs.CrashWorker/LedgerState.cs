using System.Globalization;
using System.Text;

namespace CacheFs.CrashWorker;

/// <summary>
/// What a ledger adds up to: sealed files (exact bytes at known names, never modified after their fsync) and append-only
/// logs (a prefix that was fsynced). Replaying the ledger's records in order gives the expectations a crash must keep.
/// </summary>
/// <remarks>
/// Records, one per line, fields separated by one space (names never contain spaces):
///   seal id length sha256 path       a fresh file was written and fsynced; it is never written again
///   link id path                     Link returned: path is one more name of the sealed file
///   move id from to                  before a rename: the name is from or to, whichever the crash left
///   moved id from to                 Rename returned: the name is to
///   retire id path                   before an unlink or a replace: path is no longer promised
///   xattr id name hex                SetXattr returned (names are never reused)
///   unxattr id name                  before RemoveXattr
///   log path length sha256           Sync returned: the log's first length bytes hash to sha256
///   retirelog path                   before the log is unlinked
/// A last line without its newline is a record the worker was killed while writing; it promised nothing.
/// </remarks>
internal sealed class LedgerState
{
    public Dictionary<long, SealedFile> Sealed { get; } = [];

    public Dictionary<string, LogPrefix> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>Replays the ledger; returns the state and the length of its complete records.</summary>
    public static (LedgerState State, long ValidLength) Load(string path)
    {
        var state = new LedgerState();
        if (!File.Exists(path))
            return (state, 0);
        var bytes = File.ReadAllBytes(path);
        var valid = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes, 0, valid).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            state.Apply(line);
        return (state, valid);
    }

    public void Apply(string line)
    {
        var f = line.Split(' ');
        switch (f[0])
        {
            case "seal":
                Sealed[Id(f[1])] = new SealedFile(Id(f[1]), Id(f[2]), f[3]) { Slots = { new[] { f[4] } } };
                break;
            case "link":
                FileOf(f[1]).Slots.Add([f[2]]);
                break;
            case "move":
                ReplaceSlot(FileOf(f[1]), f[2], [f[2], f[3]]);
                break;
            case "moved":
                ReplaceSlot(FileOf(f[1]), f[2], [f[3]]);
                break;
            case "retire":
                var file = FileOf(f[1]);
                file.Slots.RemoveAt(SlotOf(file, f[2]));
                if (file.Slots.Count == 0)
                    Sealed.Remove(file.Id);
                break;
            case "xattr":
                FileOf(f[1]).Xattrs[f[2]] = f[3];
                break;
            case "unxattr":
                FileOf(f[1]).Xattrs.Remove(f[2]);
                break;
            case "log":
                Logs[f[1]] = new LogPrefix(Id(f[2]), f[3]);
                break;
            case "retirelog":
                Logs.Remove(f[1]);
                break;
            default:
                throw new InvalidDataException($"unknown ledger record '{line}'");
        }
    }

    /// <summary>The state as records; a ledger holding only these replays to the same state.</summary>
    public IEnumerable<string> Records()
    {
        foreach (var file in Sealed.Values.OrderBy(f => f.Id))
        {
            var first = file.Slots[0];
            yield return Invariant($"seal {file.Id} {file.Length} {file.Hash} {first[0]}");
            if (first.Length > 1)
                yield return Invariant($"move {file.Id} {first[0]} {first[1]}");
            foreach (var slot in file.Slots.Skip(1))
            {
                yield return Invariant($"link {file.Id} {slot[0]}");
                if (slot.Length > 1)
                    yield return Invariant($"move {file.Id} {slot[0]} {slot[1]}");
            }

            foreach (var (name, hex) in file.Xattrs.OrderBy(x => x.Key, StringComparer.Ordinal))
                yield return Invariant($"xattr {file.Id} {name} {hex}");
        }

        foreach (var (path, log) in Logs.OrderBy(l => l.Key, StringComparer.Ordinal))
            yield return Invariant($"log {path} {log.Length} {log.Hash}");
    }

    private SealedFile FileOf(string id) =>
        Sealed.TryGetValue(Id(id), out var file) ? file : throw new InvalidDataException($"the ledger names sealed file {id} before sealing it");

    private static void ReplaceSlot(SealedFile file, string name, string[] slot) => file.Slots[SlotOf(file, name)] = slot;

    private static int SlotOf(SealedFile file, string name)
    {
        var index = file.Slots.FindIndex(s => s.Contains(name, StringComparer.Ordinal));
        return index >= 0 ? index : throw new InvalidDataException($"sealed file {file.Id} has no name {name}");
    }

    private static long Id(string text) => long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A file fsynced once and never written again. Each slot is one of its names: one path, or two while a rename was in flight.</summary>
internal sealed class SealedFile(long id, long length, string hash)
{
    public long Id { get; } = id;

    public long Length { get; } = length;

    public string Hash { get; } = hash;

    public List<string[]> Slots { get; } = [];

    public Dictionary<string, string> Xattrs { get; } = new(StringComparer.Ordinal);
}

/// <summary>The durable prefix of an append-only log.</summary>
internal readonly record struct LogPrefix(long Length, string Hash);
