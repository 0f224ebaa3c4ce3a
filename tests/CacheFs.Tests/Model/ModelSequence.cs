using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Model;

/// <summary>
/// One random operation sequence applied to a real volume and to <see cref="NamespaceModel"/> at once. Every step
/// compares the statuses (and values) of both; the whole trees are compared periodically and at the end. Everything
/// random comes from one seeded <see cref="Random"/>, so a seed replays the same sequence.
/// </summary>
internal sealed partial class ModelSequence : IDisposable
{
    private const int MaxOpenHandles = 4;
    private const string SharedMemory = "/dev/shm";
    private static readonly string[] SensitiveNames = ["a", "b", "c", "d"];
    private static readonly string[] InsensitiveNames = ["a", "b", "c", "A", "B", "\u00e9", "\u00c9"];
    private static readonly string[] BadNames = [".", "..", "x/y", ""];
    private static readonly string[] XattrNames = ["user.x", "user.y", "user.z"];

    private readonly Random _random;
    private readonly TestVolume _t;
    private readonly NamespaceModel _model;
    private readonly ModelComparer _compare;
    private readonly string[] _names;
    private readonly List<(ModelHandle Model, ulong Real)> _open = [];
    private readonly List<(ModelHandle Model, ulong Real)> _closed = [];
    private readonly List<ModelNode> _known = [];
    private readonly List<string> _history = [];
    private int _step;

    public ModelSequence(int seed, bool caseSensitive)
    {
        Seed = seed;
        _random = new Random(seed);
        _t = new TestVolume(caseSensitive, ScratchDirectory());
        _model = new NamespaceModel(caseSensitive);
        _names = caseSensitive ? SensitiveNames : InsensitiveNames;
        _compare = new ModelComparer(Context);
    }

    /// <summary>Whether sequences run on an in-memory file system (Linux /dev/shm), where they are several times faster.</summary>
    public static bool InMemory { get; } = OperatingSystem.IsLinux() && Directory.Exists(SharedMemory);

    public int Seed { get; }

    /// <summary>The last steps, oldest first, for the failure message.</summary>
    public string History => string.Join('\n', _history.TakeLast(40));

    public string FullHistory => string.Join('\n', _history);

    public void Run(int steps)
    {
        for (_step = 1; _step <= steps; _step++)
        {
            Step();
            if (_step % 25 == 0)
                _compare.Tree(_t, _model, 1 + _random.Next(4));
        }

        Finish();
    }

    public void Dispose() => _t.Dispose();

    /// <summary>
    /// A fresh cache directory, in memory where Linux offers one: the sequences test logic, not the disk, and the
    /// journal's fsyncs at every open and close would otherwise dominate the run.
    /// </summary>
    private static string? ScratchDirectory() =>
        InMemory ? System.IO.Path.Combine(SharedMemory, "cachefs-model-" + Guid.NewGuid().ToString("N")) : null;

    private string Context() => $"seed {Seed}, step {_step} ({(_history.Count > 0 ? _history[^1] : "start")})";

    private void Log(string text) => _history.Add($"{_step}: {text}");

    private void Step()
    {
        var roll = _random.Next(100);
        switch (roll)
        {
            case < 12: CreateFile(); break;
            case < 19: MakeDirectory(); break;
            case < 23: RemoveDirectory(); break;
            case < 29: Unlink(); break;
            case < 41: Rename(); break;
            case < 45: Link(); break;
            case < 48: MakeSymlinkOrNode(); break;
            case < 53: OpenNode(); break;
            case < 61: Write(append: false); break;
            case < 66: Write(append: true); break;
            case < 68: Truncate(); break;
            case < 70: Allocate(); break;
            case < 76: Read(); break;
            case < 80: Release(); break;
            case < 87: Xattr(); break;
            case < 91: GetAttributes(); break;
            case < 93: Lookup(); break;
            case < 94: InterleavedListing(); break;
            case < 97: OpenUnlinkReadRelease(); break;
            case < 98: Reopen(); break;
            default: _compare.Tree(_t, _model, 1 + _random.Next(4)); break;
        }
    }

    /// <summary>Closes everything, compares the trees, checks no content object is orphaned, and does so again after a reopen.</summary>
    private void Finish()
    {
        Log("finish: release all");
        foreach (var (model, real) in _open.ToArray())
            ReleaseHandle(model, real);
        _compare.Tree(_t, _model, 3);
        _compare.NoOrphanObjects(_t, _model);
        Reopen();
        _compare.Tree(_t, _model, 100);
        _compare.NoOrphanObjects(_t, _model);
    }

    /// <summary>A name for an operation in <paramref name="within"/>: half the time one it holds (maybe in another case).</summary>
    private string Name(ModelNode? within = null)
    {
        if (within is { IsDirectory: true, Visible: true, Children.Count: > 0 } && _random.Next(2) == 0)
        {
            var names = within.Children.Values.Select(e => e.Name).Order(StringComparer.Ordinal).ToList();
            var name = names[_random.Next(names.Count)];
            if (_names == InsensitiveNames && _random.Next(3) == 0)
                name = _random.Next(2) == 0 ? name.ToUpperInvariant() : name.ToLowerInvariant();
            return name;
        }

        if (_random.Next(40) == 0)
            return BadNames[_random.Next(BadNames.Length)];
        return _names[_random.Next(_names.Length)];
    }

    private string Path(int maxDepth)
    {
        var depth = 1 + _random.Next(maxDepth);
        var parts = new string[depth];
        for (var i = 0; i < depth; i++)
            parts[i] = _names[_random.Next(_names.Length)];
        return string.Join('/', parts);
    }

    private byte[] Bytes(int max)
    {
        var data = new byte[_random.Next(max + 1)];
        _random.NextBytes(data);
        return data;
    }

    /// <summary>Resolves a path in both; on a mismatch the step fails, on a shared failure the caller skips its operation.</summary>
    private (ModelNode Model, long Id)? ResolveBoth(string path)
    {
        var model = _model.Resolve(path);
        var real = _t.Volume.Resolve(path);
        real.Status.Should().Be(model.Status, "{0}: resolving '{1}'", Context(), path);
        if (!model.IsOk)
            return null;
        _compare.Attributes(model.Value, real.Value);
        Remember(model.Value);
        return (model.Value, real.Value.Id);
    }

    /// <summary>A directory to create or remove in: usually a path, sometimes one seen before that may be gone.</summary>
    private (ModelNode Model, long Id)? Parent()
    {
        var roll = _random.Next(10);
        if (roll == 0 && Known() is { } known)
            return known;
        if (roll < 4)
            return (_model.Root, NodeIds.Root);
        if (roll < 8 && Existing(n => n.IsDirectory) is { } path)
            return ResolveBoth(path);
        return ResolveBoth(Path(2));
    }

    /// <summary>A node to operate on by id: usually a path, sometimes one seen before (possibly removed since).</summary>
    private (ModelNode Model, long Id)? Target()
    {
        var roll = _random.Next(10);
        if (roll < 2 && Known() is { } known)
            return known;
        if (roll < 7 && Existing(_ => true) is { } path)
            return ResolveBoth(path);
        return ResolveBoth(Path(3));
    }

    /// <summary>The path of a random named node that passes <paramref name="filter"/>, if there is one.</summary>
    private string? Existing(Func<ModelNode, bool> filter)
    {
        var candidates = _model.Walk().Where(p => filter(p.Node)).ToList();
        return candidates.Count == 0 ? null : candidates[_random.Next(candidates.Count)].Path;
    }

    private (ModelNode Model, long Id)? Known()
    {
        if (_known.Count == 0)
            return null;
        var node = _known[_random.Next(_known.Count)];
        return (node, _compare.IdOf(node)!.Value);
    }

    private void Remember(ModelNode node)
    {
        if (_known.Contains(node))
            return;
        if (_known.Count < 24)
            _known.Add(node);
        else
            _known[_random.Next(_known.Count)] = node;
    }

    private void Expect(FsStatus real, FsStatus model, string what)
    {
        _history[^1] += $" => {model}";
        real.Should().Be(model, "{0}: {1}", Context(), what);
    }

    private OpenFlags RandomFlags(bool forCreate)
    {
        return _random.Next(forCreate ? 8 : 10) switch
        {
            0 => OpenFlags.ReadWrite | OpenFlags.Append,
            1 => OpenFlags.ReadWrite | OpenFlags.Truncate,
            2 => OpenFlags.Write | OpenFlags.Truncate,
            3 => OpenFlags.Write | OpenFlags.Append,
            8 => OpenFlags.Read,
            9 => OpenFlags.Read,
            _ => OpenFlags.ReadWrite,
        };
    }

    /// <summary>Keeps a new handle open for later steps, or closes it at once when enough are open.</summary>
    private void Keep(ModelHandle model, ulong real, bool mayKeep)
    {
        if (mayKeep && _open.Count < MaxOpenHandles)
            _open.Add((model, real));
        else
            ReleaseHandle(model, real);
    }

    private void ReleaseHandle(ModelHandle model, ulong real)
    {
        Expect(_t.Volume.Release(real), _model.Release(model), $"release handle {real}");
        _open.Remove((model, real));
        _closed.Add((model, real));
        if (_closed.Count > 8)
            _closed.RemoveAt(0);
    }

    private (ModelHandle Model, ulong Real)? AnyHandle()
    {
        if (_closed.Count > 0 && _random.Next(12) == 0)
            return _closed[_random.Next(_closed.Count)];
        return _open.Count == 0 ? null : _open[_random.Next(_open.Count)];
    }

    private static string Show(byte[] data) => data.Length == 0 ? "[]" : Convert.ToHexString(data.AsSpan(0, Math.Min(data.Length, 8))) + $"..({data.Length})";
}
