using System.Net;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Events;

/// <summary>
/// Every stream is told which files other sessions hold write leases on: the whole list when it attaches, then each
/// lease taken or ended. A client uses it to delete a file no one holds without asking the origin for a lease first.
/// </summary>
public sealed class LeaseNoticeTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    private OriginClient Client => _origin.Client;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync(root =>
    {
        File.WriteAllText(Path.Join(root, "doc.txt"), "base");
        File.WriteAllText(Path.Join(root, "other.txt"), "other");
    });

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Stream_OnAttach_ListsTheWriteLeasesOfOtherSessionsOnly()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        var written = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        await Client.LeaseAsync(a.SessionId, "other.txt", LeaseMode.Read);

        await using (var onB = await EventReader.OpenAsync(Client, b.SessionId, b.Cursor))
        {
            var list = await onB.NextLeaseNoticeAsync();
            list.Event.Type.Should().Be(EventType.LeasesHeld);
            list.Event.Leased.Should().Equal([written.NodeId], "a read lease does not stop a delete, and doc.txt is written by A");
        }

        await using var onA = await EventReader.OpenAsync(Client, a.SessionId, a.Cursor);
        var own = await onA.NextLeaseNoticeAsync();
        own.Event.Type.Should().Be(EventType.LeasesHeld);
        own.Event.Leased.Should().BeEmpty("A's own lease is no one else's");
    }

    [Fact]
    public async Task WriteLease_TakenThenReleased_OtherStreamsAreToldAndTheHolderIsNot()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        await using var onA = await EventReader.OpenAsync(Client, a.SessionId, a.Cursor);
        await using var onB = await EventReader.OpenAsync(Client, b.SessionId, b.Cursor);
        (await onA.NextLeaseNoticeAsync()).Event.Leased.Should().BeEmpty();
        (await onB.NextLeaseNoticeAsync()).Event.Leased.Should().BeEmpty();

        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        var taken = await onB.NextLeaseNoticeAsync();
        taken.Event.Type.Should().Be(EventType.LeaseTaken);
        taken.Event.Leased.Should().Equal(grant.NodeId);

        (await Client.Http.DeleteAsync($"{Routes.Leases}/{grant.LeaseId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var ended = await onB.NextLeaseNoticeAsync();
        ended.Event.Type.Should().Be(EventType.LeaseEnded);
        ended.Event.Leased.Should().Equal(grant.NodeId);

        // The first notice A gets is about B's lease: nothing was sent to A about its own.
        var theirs = await Client.LeaseAsync(b.SessionId, "other.txt", LeaseMode.Write);
        var next = await onA.NextLeaseNoticeAsync();
        next.Event.Type.Should().Be(EventType.LeaseTaken);
        next.Event.Leased.Should().Equal(theirs.NodeId);
    }

    [Fact]
    public async Task WriteLease_HolderSessionClosed_OtherStreamsAreToldItEnded()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        await using var onB = await EventReader.OpenAsync(Client, b.SessionId, b.Cursor);
        (await onB.NextLeaseNoticeAsync()).Event.Leased.Should().BeEmpty();
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        (await onB.NextLeaseNoticeAsync()).Event.Type.Should().Be(EventType.LeaseTaken);

        (await Client.Http.DeleteAsync($"{Routes.Sessions}/{a.SessionId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var ended = await onB.NextLeaseNoticeAsync();
        ended.Event.Type.Should().Be(EventType.LeaseEnded);
        ended.Event.Leased.Should().Equal(grant.NodeId);
    }
}
