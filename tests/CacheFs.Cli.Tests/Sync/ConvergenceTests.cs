using System.Globalization;
using CacheFs.Cli.Tests.Mount;
using Xunit.Abstractions;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// The offline issue's randomized convergence test, through separate processes: an origin and two mounts do random
/// file and directory operations round after round; in each round the origin is killed, or one mount is cut off by
/// hand, and a mount may be killed with SIGKILL and mounted again mid-round (its outbox must survive). After each round
/// all three trees must agree, every file version a mount wrote and still held at the end of the round must be in
/// the tree under some name (its own or a conflict name), and nothing may be there that nobody wrote.
/// </summary>
/// <remarks>
/// Not in scripts/test.sh yet (about one run in three still fails; see the README); scripts/convergence.sh runs
/// it. <c>CACHEFS_CONVERGENCE_ROUNDS</c>, <c>CACHEFS_CONVERGENCE_OPS</c> and <c>CACHEFS_CONVERGENCE_SEED</c> make it
/// longer or repeat a failing seed (scripts/convergence.sh); <c>CACHEFS_CONVERGENCE_LOG_LEVEL</c> sets the mounts' log
/// level (Debug shows each upload and lease).
/// </remarks>
[Collection(nameof(TeamTests))]
public sealed class ConvergenceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    [Trait("Category", "Convergence")]
    public async Task RandomOperations_OutagesAndCrashes_AllTreesAgreeAndNoVersionIsLost()
    {
        var rounds = Setting("CACHEFS_CONVERGENCE_ROUNDS", 3);
        var operations = Setting("CACHEFS_CONVERGENCE_OPS", 30);
        var seed = Setting("CACHEFS_CONVERGENCE_SEED", Random.Shared.Next());
        output.WriteLine($"seed {seed}: {rounds} rounds of {operations} operations per mount");
        var random = new Random(seed);
        // Every create is first an empty file (it goes to the origin empty before its bytes do), so "" was written too.
        var written = new HashSet<string>(StringComparer.Ordinal) { "" };
        var logLevel = Environment.GetEnvironmentVariable("CACHEFS_CONVERGENCE_LOG_LEVEL");
        await using var team = await Team.StartAsync(mounts: 2, mountArguments: logLevel is null ? null : ["--log-level", logLevel], seed: root =>
        {
            foreach (var dir in new[] { "d0", "d1", "d2" })
            {
                Directory.CreateDirectory(Path.Combine(root, dir));
                for (var i = 0; i < 3; i++)
                {
                    var content = $"seed {dir}/f{i}";
                    File.WriteAllText(Path.Combine(root, dir, $"f{i}.txt"), content);
                    written.Add(content);
                }
            }
        });
        var workers = new[] { new Worker(0, team.MountPoint(0)), new Worker(1, team.MountPoint(1)) };

        for (var round = 0; round < rounds; round++)
        {
            foreach (var worker in workers)
                worker.StartRound(TreeSnapshot.Of(worker.Root)); // each mount has seen everything before the cut
            var originDown = random.Next(2) == 0;
            var crash = originDown && random.Next(2) == 0 ? random.Next(operations) : -1;
            output.WriteLine($"round {round}: {(originDown ? "origin killed" : "A offline by hand")}{(crash >= 0 ? $", A killed after {crash} operations" : "")}");
            if (originDown)
                await team.StopOriginAsync(kill: true);
            else
                await team.SetOfflineAsync(0, offline: true);

            for (var op = 0; op < operations; op++)
            {
                foreach (var worker in workers)
                {
                    var line = worker.Act(random, $"r{round} op{op}", written);
                    output.WriteLine($"  {"AB"[worker.Index]}: {line}");
                }

                if (op == crash)
                {
                    team.Mounts[0].Signal(Posix.SIGKILL);
                    await team.Mounts[0].WaitForExitAsync(TimeSpan.FromSeconds(30));
                    team.Mounts[0].Dispose();
                    await team.MountAsync(0); // with the origin down: offline, from its journal and outbox
                    output.WriteLine("  A killed with SIGKILL and mounted again");
                }
            }

            if (originDown)
                await team.RestartOriginAsync();
            else
                await team.SetOfflineAsync(0, offline: false);
            await team.SyncAsync(0);
            await team.SyncAsync(1);
            await team.SyncAsync(0);

            var tree = await SettledTreeAsync(team, $"round {round} (seed {seed})");
            var present = tree.Values.ToHashSet(StringComparer.Ordinal);
            foreach (var worker in workers)
            {
                foreach (var (path, content) in worker.Held)
                    present.Should().Contain(content, $"{"AB"[worker.Index]} wrote \"{content}\" to {path} and kept it through round {round} (seed {seed})");
            }

            tree.Where(e => e.Value != "<dir>").Select(e => e.Value).Should().OnlyContain(
                v => written.Contains(v),
                $"every file holds a version someone wrote (seed {seed})");
        }
    }

    private static async Task<SortedDictionary<string, string>> SettledTreeAsync(Team team, string when)
    {
        var a = team.MountPoint(0);
        var b = team.MountPoint(1);
        var agreed = await Eventually.TrueAsync(() => TreeSnapshot.AllEqual(a, b, team.OriginRoot), Settle);
        agreed.Should().BeTrue(
            $"A, B and the origin agree after {when};\nA:\n{TreeSnapshot.Describe(a)}\nB:\n{TreeSnapshot.Describe(b)}\norigin:\n{TreeSnapshot.Describe(team.OriginRoot)}" +
            $"\n--- A's log:\n{team.Mounts[0].Log}\n--- B's log:\n{team.Mounts[1].Log}");
        return TreeSnapshot.Of(team.OriginRoot);
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>
    /// One mount's random operations, and what it wrote this round and still holds (path → content): renames move it,
    /// deletes and its own overwrites drop it.
    /// </summary>
    private sealed class Worker(int index, string root)
    {
        private readonly Dictionary<string, string> _held = new(StringComparer.Ordinal);
        private List<string> _files = [];
        private List<string> _dirs = [];
        private int _names;

        public int Index => index;

        public string Root => root;

        public IReadOnlyDictionary<string, string> Held => _held;

        public void StartRound(SortedDictionary<string, string> tree)
        {
            _held.Clear();
            _files = [.. tree.Where(e => e.Value != "<dir>").Select(e => e.Key)];
            _dirs = [.. tree.Where(e => e.Value == "<dir>").Select(e => e.Key)];
        }

        public string Act(Random random, string tag, HashSet<string> written)
        {
            var roll = random.Next(100);
            try
            {
                return roll switch
                {
                    < 30 when _files.Count > 0 => Write(Pick(random, _files), tag, written, "edit"),
                    < 50 => Write(Path.Join(PickDir(random), random.Next(3) == 0 ? $"shared{random.Next(3)}.txt" : NewName("n", ".txt")), tag, written, "create"),
                    < 62 when _files.Count > 0 => Delete(Pick(random, _files)),
                    < 80 when _files.Count > 0 => Rename(Pick(random, _files), random.Next(4) == 0 && _files.Count > 1 ? Pick(random, _files) : Path.Join(PickDir(random), NewName("r", ".txt"))),
                    < 90 => MakeDirectory(NewName("dir", "")),
                    < 94 when _dirs.Count > 0 => RemoveTree(Pick(random, _dirs)),
                    _ => Write(Path.Join(PickDir(random), NewName("n", ".txt")), tag, written, "create"),
                };
            }
            catch (IOException e)
            {
                return $"refused: {e.Message}"; // e.g. EBUSY for a file the other mount holds leased while both are online
            }
        }

        private string Write(string path, string tag, HashSet<string> written, string what)
        {
            var content = $"{"AB"[index]} {tag} {what} {path}";
            written.Add(content);
            File.WriteAllText(Full(path), content);
            _held[path] = content;
            if (!_files.Contains(path))
                _files.Add(path);
            return $"{what} {path}";
        }

        private string Delete(string path)
        {
            File.Delete(Full(path));
            Forget(path);
            return $"delete {path}";
        }

        private string Rename(string from, string to)
        {
            if (from == to)
                return $"rename {from} onto itself (nothing)";
            File.Move(Full(from), Full(to), overwrite: true);
            Forget(to);
            if (_held.Remove(from, out var content))
                _held[to] = content;
            _files.Remove(from);
            _files.Add(to);
            return $"rename {from} -> {to}";
        }

        private string MakeDirectory(string name)
        {
            Directory.CreateDirectory(Full(name));
            _dirs.Add(name);
            return $"mkdir {name}";
        }

        private string RemoveTree(string dir)
        {
            Directory.Delete(Full(dir), recursive: true);
            var prefix = dir + "/";
            foreach (var path in _files.Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                Forget(path);
            _dirs.RemoveAll(d => d == dir || d.StartsWith(prefix, StringComparison.Ordinal));
            return $"rm -r {dir}";
        }

        private void Forget(string path)
        {
            _held.Remove(path);
            _files.Remove(path);
        }

        private string PickDir(Random random) => random.Next(_dirs.Count + 1) is var i && i == _dirs.Count ? "" : _dirs[i];

        private string NewName(string prefix, string extension) => $"{prefix}{"ab"[index]}{++_names}{extension}";

        private string Full(string path) => Path.Combine(root, path);

        private static string Pick(Random random, List<string> from) => from[random.Next(from.Count)];
    }
}
