using System.Net;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Events;

public sealed class EventStreamTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    private OriginClient Client => _origin.Client;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Stream_ReplaysAfterTheCursor_ThenSendsLiveChanges()
    {
        var session = await Client.OpenSessionAsync("ws-a");
        var early = await Client.MkdirAsync("early");
        await using var events = await EventReader.OpenAsync(Client, session.SessionId, session.Cursor);

        var replayed = await events.NextNotKeepAliveAsync();
        replayed.Type.Should().Be("Change");
        replayed.Id.Should().Be(early.Version);
        replayed.Event.Change!.Path.Should().Be("early");

        var live = await Client.PutAsync("early/file.bin", "x");
        var next = await events.NextNotKeepAliveAsync();
        next.Id.Should().Be(live.Version);
        next.Event.Change!.Should().Match<ChangeRecord>(c => c.Kind == ChangeKind.Created && c.Path == "early/file.bin" && c.Node!.Size == 1);
    }

    [Fact]
    public async Task Stream_ResumedWithLastEventId_SendsOnlyWhatCameAfter()
    {
        var session = await Client.OpenSessionAsync("ws-a");
        var one = await Client.MkdirAsync("one");
        var two = await Client.MkdirAsync("two");
        await using (var first = await EventReader.OpenAsync(Client, session.SessionId, session.Cursor))
            (await first.NextNotKeepAliveAsync()).Id.Should().Be(one.Version);

        var three = await Client.MkdirAsync("three");
        await using var resumed = await EventReader.OpenAsync(Client, session.SessionId, since: 0, lastEventId: one.Version);
        (await resumed.NextNotKeepAliveAsync()).Id.Should().Be(two.Version);
        (await resumed.NextNotKeepAliveAsync()).Id.Should().Be(three.Version);
    }

    [Fact]
    public async Task Stream_WhenIdle_SendsKeepAlives()
    {
        var session = await Client.OpenSessionAsync("ws-a");
        await using var events = await EventReader.OpenAsync(Client, session.SessionId, session.Cursor);
        _origin.Time.Advance(TimeSpan.FromSeconds(6));
        var e = await events.NextAsync();
        e.Event.Type.Should().Be(EventType.KeepAlive);
        e.Id.Should().BeNull("a keep-alive must not move the client's Last-Event-ID");
    }

    [Fact]
    public async Task Stream_ASecondStreamOfTheSession_EndsTheFirst()
    {
        var session = await Client.OpenSessionAsync("ws-a");
        await using var first = await EventReader.OpenAsync(Client, session.SessionId, session.Cursor);
        await using var second = await EventReader.OpenAsync(Client, session.SessionId, session.Cursor);
        (await first.EndedAsync()).Should().BeTrue();
        await Client.MkdirAsync("seen-by-second");
        (await second.NextNotKeepAliveAsync()).Event.Change!.Path.Should().Be("seen-by-second");
    }

    [Fact]
    public async Task Stream_OfAnUnknownSession_Is410()
    {
        await OriginClient.Problem(await Client.Http.GetAsync($"{Routes.Events}?session=nope&since=0"), HttpStatusCode.Gone, ErrorCode.SessionExpired);
    }

    [Fact]
    public async Task ABreakSentWhileNoStreamWasAttached_IsDeliveredOnConnect()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        await Client.PutAsync("f", "1");
        var lease = await Client.LeaseAsync(a.SessionId, "f", LeaseMode.Write);
        (await Client.LeaseRawAsync(b.SessionId, "f", LeaseMode.Write)).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var head = (await Client.ChangesAsync(0)).Cursor;
        await using var events = await EventReader.OpenAsync(Client, a.SessionId, head);
        var e = await events.NextNotKeepAliveAsync();
        e.Event.Type.Should().Be(EventType.LeaseBreak);
        e.Event.Break!.LeaseId.Should().Be(lease.LeaseId);
    }
}
