using System.Runtime.Versioning;
using CacheFs.Nodes;
using CacheFs.Protocol;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;

namespace CacheFs.Sync.Tests.Engine;

/// <summary>
/// A delete needs no lease round trip when the event stream says no other client holds the file; a file another client
/// holds is still refused (Busy), for a delete and a rename over it alike, and the origin refuses the removal too.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RemovalLeaseTests : IAsyncLifetime
{
    private OriginHost _origin = null!;

    public async Task InitializeAsync() =>
        _origin = await OriginHost.StartAsync(root =>
        {
            File.WriteAllText(Path.Join(root, "report.txt"), "v1 of the report");
            File.WriteAllText(Path.Join(root, "probe.txt"), "a file only this test's own session leases");
        });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Unlink_AFileNoOtherClientHolds_IsAppliedWithoutAnyLeaseGranted()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        a.At("report.txt").OriginId.Should().NotBe(0);
        (await Eventually.TrueAsync(() => a.Sync.LeasedByOthers == 0)).Should().BeTrue("the stream lists the leases others hold");
        var before = await ProbeEpochAsync();

        a.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await a.SyncedAsync();

        File.Exists(_origin.Disk("report.txt")).Should().BeFalse();
        (await ProbeEpochAsync()).Should().Be(before + 1, "no write lease was granted between the two probes: the delete took none");
    }

    [Fact]
    public async Task Rename_OverAFileNoOtherClientHolds_StillTakesItsLease()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        a.At("report.txt").OriginId.Should().NotBe(0);
        a.Create("", "draft.txt", "A's draft"u8.ToArray());
        await a.SyncedAsync(); // the draft's own upload lease is granted before the first probe, not between the two
        (await Eventually.TrueAsync(() => a.Sync.LeasedByOthers == 0)).Should().BeTrue("the stream lists the leases others hold");
        var before = await ProbeEpochAsync();

        a.Volume.Rename(NodeIds.Root, "draft.txt", NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await a.SyncedAsync();

        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("A's draft");
        (await ProbeEpochAsync()).Should().Be(before + 2, "the rename over report.txt took its lease (the delete's shortcut is not taken for a rename yet)");
    }

    [Fact]
    public async Task Unlink_AndRenameOver_AFileAnotherClientWrites_BusyUntilItsLeaseGoesBack()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        b.At("report.txt").OriginId.Should().NotBe(0);
        b.Create("", "draft.txt", "B's draft"u8.ToArray());
        var writing = a.Open("report.txt", OpenFlags.ReadWrite);
        a.Volume.Write(writing, 0, "A's edit"u8).Status.Should().Be(FsStatus.Ok);

        (await Eventually.TrueAsync(() => b.Sync.LeasedByOthers == 1)).Should().BeTrue("B is told that A took the lease");
        b.Volume.Unlink(NodeIds.Root, "report.txt").Should().Be(FsStatus.Busy, "A has bytes the origin has not seen");
        b.Volume.Rename(NodeIds.Root, "draft.txt", NodeIds.Root, "report.txt").Should().Be(FsStatus.Busy, "a rename over it would replace A's file");

        a.Volume.Release(writing).Should().Be(FsStatus.Ok);
        await a.SyncedAsync();
        (await Eventually.TrueAsync(() => b.Sync.LeasedByOthers == 0)).Should().BeTrue("A gave the lease back once its bytes were uploaded");
        await b.CaughtUpAsync();
        b.Volume.Rename(NodeIds.Root, "draft.txt", NodeIds.Root, "report.txt").Should().Be(FsStatus.Ok);
        await b.SyncedAsync();
        File.ReadAllText(_origin.Disk("report.txt")).Should().Be("B's draft");
    }

    /// <summary>The epoch of a write lease this test's own session takes (and gives back) on probe.txt: epochs rise by one per grant.</summary>
    private async Task<long> ProbeEpochAsync()
    {
        using var client = _origin.Client();
        var session = await client.OpenSessionAsync("probe", CancellationToken.None);
        var grant = await client.AcquireLeaseAsync(new LeaseRequest(session.SessionId, "probe.txt", LeaseMode.Write), CancellationToken.None);
        await client.ReleaseLeaseAsync(grant.LeaseId, CancellationToken.None);
        await client.CloseSessionAsync(session.SessionId, CancellationToken.None);
        return grant.Epoch;
    }
}
