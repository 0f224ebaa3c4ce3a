using System.Text;
using CacheFs.Nodes;
using CacheFs.Volume;

namespace CacheFs.Tests.Concurrency;

/// <summary>
/// Lookups, getattr and readdir do not take the volume gate, so they run during renames. Each must see the namespace
/// before or after a rename, never in between: no error but NotFound, no name that is missing while it is replaced, no
/// file twice or not at all in one listing.
/// </summary>
public sealed class ReaderDuringRenameTests
{
    private const int Files = 8;
    private const int Slots = 14;
    private const int RenamesPerThread = 1500;

    [Fact]
    public void Readers_DuringHeavyRenames_SeeOnlyNotFoundAndWholeStates()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        var left = t.MakeDir("left");
        var right = t.MakeDir("right");
        var moving = t.MakeDir("m", left);
        t.MakeFile("inner", "inner"u8.ToArray(), moving);
        var ids = new Dictionary<long, string>();
        for (var i = 0; i < Files; i++)
        {
            var content = "file " + new string('x', i);
            ids[t.MakeFile($"n{i}", Encoding.UTF8.GetBytes(content), dir)] = content;
        }

        t.MakeFile("p", "p 0"u8.ToArray(), dir);
        using var renamersDone = new CountdownEvent(2);
        var checks = new long[2];
        Race.Run(4, thread =>
        {
            if (thread < 2)
            {
                try
                {
                    Rename(t, thread, dir, left, right);
                }
                finally
                {
                    renamersDone.Signal();
                }

                return;
            }

            while (!renamersDone.IsSet)
            {
                Read(t, new Random((thread * 100_000) + (int)checks[thread - 2]), dir, ids);
                checks[thread - 2]++;
            }
        });

        checks.Should().AllSatisfy(c => c.Should().BePositive(), "the readers ran during the renames");
    }

    [Fact]
    public void ReadDirectory_PagedDuringChurn_ListsEveryStableNameExactlyOnce()
    {
        using var t = new TestVolume();
        var dir = t.MakeDir("d");
        var stable = Enumerable.Range(0, 40).Select(i => $"stable{i:00}").ToList();
        foreach (var name in stable)
            t.MakeFile(name, null, dir);
        using var churnDone = new CountdownEvent(2);
        var listings = new long[2];
        Race.Run(4, thread =>
        {
            if (thread < 2)
            {
                try
                {
                    Churn(t, dir, thread);
                }
                finally
                {
                    churnDone.Signal();
                }

                return;
            }

            var random = new Random(thread);
            while (!churnDone.IsSet)
            {
                var names = new List<string>();
                long cookie = 0;
                while (true)
                {
                    var page = t.Volume.ReadDirectory(dir, cookie, 1 + random.Next(4));
                    page.Status.Should().Be(FsStatus.Ok);
                    if (page.Value.Count == 0)
                        break;
                    names.AddRange(page.Value.Select(e => e.Name));
                    cookie = page.Value[^1].Cookie;
                }

                // POSIX leaves names that come and go open; a name that stays put is listed exactly once.
                foreach (var name in stable)
                    names.Count(n => n == name).Should().Be(1, "{0} stayed put during the listing", name);
                listings[thread - 2]++;
            }
        });

        listings.Should().AllSatisfy(l => l.Should().BePositive(), "the readers listed during the churn");
    }

    /// <summary>Creates, renames and removes names of its own in the directory the readers list.</summary>
    private static void Churn(TestVolume t, long dir, int thread)
    {
        var random = new Random(thread);
        for (var i = 0; i < RenamesPerThread; i++)
        {
            var name = $"churn{thread}-{random.Next(6)}";
            var other = $"churn{thread}-{random.Next(6)}";
            switch (random.Next(4))
            {
                case 0:
                    var created = t.Volume.Create(dir, name, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: false);
                    created.Status.Should().Be(FsStatus.Ok);
                    t.Volume.Release(created.Value.Handle);
                    break;
                case 1:
                    t.Volume.Unlink(dir, name).Should().BeOneOf(FsStatus.Ok, FsStatus.NotFound);
                    break;
                case 2:
                    t.Volume.Rename(dir, name, dir, other).Should().BeOneOf(FsStatus.Ok, FsStatus.NotFound);
                    break;
                default:
                    t.Volume.MakeDirectory(dir, name, TestVolume.DirOwner).Status.Should().BeOneOf(FsStatus.Ok, FsStatus.Exists);
                    t.Volume.RemoveDirectory(dir, name).Should().BeOneOf(FsStatus.Ok, FsStatus.NotDirectory);
                    break;
            }
        }
    }

    /// <summary>
    /// Moves the files among slots (never over each other), swaps names, replaces "p" by a fresh file, and moves the
    /// directory "m" between "left" and "right".
    /// </summary>
    private static void Rename(TestVolume t, int thread, long dir, long left, long right)
    {
        var random = new Random(thread);
        for (var i = 0; i < RenamesPerThread; i++)
        {
            var a = $"n{random.Next(Slots)}";
            var b = $"n{random.Next(Slots)}";
            FsStatus status;
            switch (random.Next(4))
            {
                case 0:
                    status = t.Volume.Rename(dir, a, dir, b, RenameMode.NoReplace);
                    status.Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound, FsStatus.Exists], "a move to a free slot");
                    break;
                case 1:
                    status = t.Volume.Rename(dir, a, dir, b, RenameMode.Exchange);
                    status.Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound], "a swap of two slots");
                    break;
                case 2:
                    var temp = $"tmp{thread}";
                    var created = t.Volume.Create(dir, temp, TestVolume.Owner, OpenFlags.ReadWrite, exclusive: true);
                    created.Status.Should().Be(FsStatus.Ok);
                    t.Volume.Write(created.Value.Handle, 0, Encoding.UTF8.GetBytes($"p {thread} {i}"));
                    t.Volume.Release(created.Value.Handle);
                    t.Volume.Rename(dir, temp, dir, "p").Should().Be(FsStatus.Ok, "replacing p is atomic");
                    break;
                default:
                    var (from, to) = random.Next(2) == 0 ? (left, right) : (right, left);
                    t.Volume.Rename(from, "m", to, "m", RenameMode.NoReplace).Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound]);
                    break;
            }
        }
    }

    private static void Read(TestVolume t, Random random, long dir, Dictionary<long, string> files)
    {
        // One listing is one snapshot: every file once, "p" once, nothing else but the renamers' temporary names.
        var listing = t.Volume.ReadDirectory(dir, 0, 1000);
        listing.Status.Should().Be(FsStatus.Ok);
        var entries = listing.Value;
        entries.Select(e => e.Name).Should().OnlyHaveUniqueItems();
        entries.Where(e => files.ContainsKey(e.Attributes.Id)).Select(e => e.Attributes.Id).Should().BeEquivalentTo(files.Keys, "each file is listed exactly once");
        entries.Where(e => files.ContainsKey(e.Attributes.Id)).Should().AllSatisfy(
            e => e.Attributes.Size.Should().Be(files[e.Attributes.Id].Length, "a listed file has its own size"));
        entries.Count(e => e.Name == "p").Should().Be(1, "p is always there");
        entries.Where(e => !files.ContainsKey(e.Attributes.Id)).Select(e => e.Name).Should().OnlyContain(n => n == "p" || n.StartsWith("tmp", StringComparison.Ordinal));

        // A name being replaced is never missing.
        var p = t.Volume.Lookup(dir, "p");
        p.Status.Should().Be(FsStatus.Ok, "a rename over p replaces it atomically");

        var name = $"n{random.Next(Slots)}";
        var hit = t.Volume.Lookup(dir, name);
        hit.Status.Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound], "a lookup of {0} during renames", name);
        if (hit.IsOk)
            files.Should().ContainKey(hit.Value.Id, "a slot holds one of the files");

        foreach (var (id, content) in files)
        {
            var attributes = t.Volume.GetAttributes(id);
            attributes.Status.Should().Be(FsStatus.Ok, "a file that is only renamed never disappears");
            attributes.Value.Size.Should().Be(content.Length);
            attributes.Value.LinkCount.Should().Be(1u);
        }

        foreach (var path in new[] { "left/m/inner", "right/m/inner" })
        {
            var resolved = t.Volume.Resolve(path);
            resolved.Status.Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound], "resolving {0} while m moves", path);
            if (resolved.IsOk)
                resolved.Value.Size.Should().Be(5);
        }

        if (p.IsOk)
        {
            // p may be replaced and removed between the lookup and the open: then and only then NotFound.
            var open = t.Volume.Open(p.Value.Id, OpenFlags.Read);
            open.Status.Should().BeOneOf([FsStatus.Ok, FsStatus.NotFound]);
            if (open.IsOk)
            {
                var buffer = new byte[64];
                var read = t.Volume.Read(open.Value.Handle, 0, buffer);
                Encoding.UTF8.GetString(buffer, 0, read.Value).Should().StartWith("p ", "an open file keeps its bytes");
                t.Volume.Release(open.Value.Handle);
            }
        }
    }
}
