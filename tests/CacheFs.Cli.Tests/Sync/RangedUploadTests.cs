using System.Security.Cryptography;
using Xunit.Abstractions;

namespace CacheFs.Cli.Tests.Sync;

/// <summary>
/// Issue 6, item 4, through real processes: a mount taken offline by hand edits a big file in a few places; back
/// online, only the changed ranges go up (counted on the wire between the mount and the origin process), and the
/// origin's file ends byte-identical to the mount's. CI runs 64 MiB; scripts/ranged-upload.sh runs 512 MiB.
/// </summary>
[Collection(nameof(TeamTests))]
public sealed class RangedUploadTests(ITestOutputHelper output)
{
    private const int Edits = 16;
    private const int Page = 4096;

    private static long Size => (long.TryParse(Environment.GetEnvironmentVariable("CACHEFS_RANGED_MIB"), out var mib) ? mib : 64) << 20;

    [Fact]
    public async Task OfflineEdits_OfABigFile_UploadOnlyTheChangedRangesOnReconnect()
    {
        var size = Size;
        await using var team = await Team.StartAsync(mounts: 1, seed: root => WriteRandom(Path.Combine(root, "big.bin"), size), counted: true);
        var mounted = Path.Combine(team.MountPoint(0), "big.bin");
        var onOrigin = Path.Combine(team.OriginRoot, "big.bin");
        Hash(mounted).Should().Be(Hash(onOrigin), "the whole file is read (and cached) before going offline");

        await team.SetOfflineAsync(0, offline: true);
        var edits = Enumerable.Range(0, Edits).Select(i => (Offset: (i * (size / Edits)) + (i * Page), Bytes: RandomNumberGenerator.GetBytes(Page))).ToList();
        await using (var stream = new FileStream(mounted, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0))
        {
            foreach (var (offset, bytes) in edits)
            {
                stream.Position = offset;
                await stream.WriteAsync(bytes);
            }
        }

        var expected = HashWith(onOrigin, edits);
        Hash(mounted).Should().Be(expected);
        var before = team.Relay!.BytesUp;
        await team.SetOfflineAsync(0, offline: false);
        await team.SyncAsync(0);
        var sent = team.Relay.BytesUp - before;

        var changed = Edits * Page;
        output.WriteLine($"ranged upload: {sent:N0} bytes sent for {changed:N0} changed bytes ({Edits} x {Page}) of a {size:N0}-byte file ({(double)sent / size:P3} of it)");
        Hash(onOrigin).Should().Be(expected, "the origin's file is byte-identical to the mount's");
        sent.Should().BeGreaterThan(changed).And.BeLessThan(changed + (64 * 1024), "only the changed ranges and a few small requests go up:\n" + team.Mounts[0].Log);
    }

    private static void WriteRandom(string path, long size)
    {
        var random = new Random(5);
        var buffer = new byte[1 << 20];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        for (long done = 0; done < size; done += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(buffer.Length, size - done));
        }
    }

    private static string Hash(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        return Convert.ToHexString(SHA256.HashData(file));
    }

    /// <summary>The hash of <paramref name="path"/> with <paramref name="edits"/> written over it, the file itself unchanged.</summary>
    private static string HashWith(string path, List<(long Offset, byte[] Bytes)> edits)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20);
        var buffer = new byte[1 << 20];
        long at = 0;
        int n;
        while ((n = file.Read(buffer)) > 0)
        {
            foreach (var (offset, bytes) in edits.Where(e => e.Offset < at + n && e.Offset + e.Bytes.Length > at))
            {
                var from = Math.Max(offset, at);
                var to = Math.Min(offset + bytes.Length, at + n);
                bytes.AsSpan((int)(from - offset), (int)(to - from)).CopyTo(buffer.AsSpan((int)(from - at)));
            }

            hash.AppendData(buffer, 0, n);
            at += n;
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
