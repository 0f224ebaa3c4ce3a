using System.Security.Cryptography;
using CacheFs.Protocol;
using CacheFs.Remote;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;
using Xunit.Abstractions;

namespace CacheFs.Sync.Tests.Engine;

/// <summary>
/// Issue 6, item 4: edits of a big file made while cut off go up as the changed ranges only (a PATCH against the base
/// version), counted on the wire by the relay; a base the origin no longer has falls back to the whole-file clash path.
/// </summary>
public sealed class RangedUploadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Size = 32 << 20;
    private const int Edits = 16;
    private const int EditSize = 4096;
    private static readonly byte[] Big = TestData.Bytes(Size, seed: 7);

    private OriginHost _origin = null!;

    public async Task InitializeAsync() => _origin = await OriginHost.StartAsync();

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task OfflineEdits_OfABigFile_SendOnlyTheChangedBytes_AndTheOriginEndsByteIdentical()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        a.Create("", "big.bin", Big);
        await a.SyncedAsync(seconds: 60);
        await a.StopEngineAsync();
        var expected = EditOffline(a, "big.bin");
        var before = _origin.Relay.BytesUp;

        await a.StartEngineAsync();
        await a.SyncedAsync(seconds: 60);

        var sent = _origin.Relay.BytesUp - before;
        output.WriteLine($"{sent:N0} bytes sent for {Edits} x {EditSize} changed bytes of a {Size:N0}-byte file");
        sent.Should().BeGreaterThan(Edits * EditSize).And.BeLessThan((Edits * EditSize) + (32 * 1024), "only the changed ranges (and a few small requests) go up");
        _origin.Relay.Count("PATCH", Routes.Content, "big.bin").Should().Be(1);
        _origin.Relay.Count("PUT", Routes.Content, "big.bin").Should().Be(1, "the only whole upload is the file's creation");
        Hash(File.ReadAllBytes(_origin.Disk("big.bin"))).Should().Be(Hash(expected));
        Hash(a.ReadAll("big.bin")).Should().Be(Hash(expected));
        a.At("big.bin").Dirty.Should().BeFalse();
    }

    [Fact]
    public async Task OfflineEdits_WhenTheOriginMovedOn_GoUpWholeAsAConflictCopy()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        var small = Big[..(4 << 20)];
        a.Create("", "big.bin", small);
        await a.SyncedAsync(seconds: 60);
        await b.CaughtUpAsync();
        await a.StopEngineAsync();
        var ours = EditOffline(a, "big.bin");
        var theirs = TestData.Bytes(1000, seed: 9);
        b.Overwrite("big.bin", theirs);
        await b.SyncedAsync();

        await a.StartEngineAsync();
        await a.SyncedAsync(seconds: 60);
        await a.CaughtUpAsync();

        _origin.Relay.Count("PATCH", Routes.Content, "big.bin").Should().Be(1, "the ranged upload was tried against the old base");
        var conflict = a.Volume.ListConflicts().Should().ContainSingle().Subject;
        conflict.Kind.Should().Be(ConflictKind.EditedBoth);
        Hash(File.ReadAllBytes(_origin.Disk(conflict.KeptAs!))).Should().Be(Hash(ours), "the clash path sends the whole file");
        File.ReadAllBytes(_origin.Disk("big.bin")).Should().Equal(theirs);
    }

    [Fact]
    public async Task AnEditOfMostOfTheFile_GoesUpWhole()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        var small = Big[..(1 << 20)];
        a.Create("", "f.bin", small);
        await a.SyncedAsync();
        var rewritten = TestData.Bytes(small.Length, seed: 11);
        a.Overwrite("f.bin", rewritten);
        await a.SyncedAsync();

        _origin.Relay.Count("PATCH", Routes.Content, "f.bin").Should().Be(0);
        _origin.Relay.Count("PUT", Routes.Content, "f.bin").Should().Be(2);
        File.ReadAllBytes(_origin.Disk("f.bin")).Should().Equal(rewritten);
    }

    /// <summary>16 page-sized edits spread over the file, through one handle, as an editor saving in place; returns the new content.</summary>
    private static byte[] EditOffline(Mirror mirror, string path)
    {
        var expected = mirror.ReadAll(path);
        var h = mirror.Open(path, OpenFlags.ReadWrite);
        for (var i = 0; i < Edits; i++)
        {
            var offset = ((long)i * expected.Length / Edits) + (i * EditSize);
            offset = Math.Min(offset, expected.Length - EditSize) / EditSize * EditSize;
            var bytes = TestData.Bytes(EditSize, seed: 100 + i);
            mirror.Volume.Write(h, offset, bytes).Status.Should().Be(FsStatus.Ok);
            bytes.CopyTo(expected, offset);
        }

        mirror.Volume.Release(h).Should().Be(FsStatus.Ok);
        return expected;
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
