using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Sessions;

/// <summary>Sessions, leases, breaks, expiry on the injected clock, and fencing of uploads by lease epoch.</summary>
public sealed class LeaseTests : IAsyncLifetime
{
    private static readonly ProtocolJson Json = ProtocolJson.Default;
    private static readonly TimeSpan PastTtl = TimeSpan.FromSeconds(31);
    private TestOrigin _origin = null!;

    private OriginClient Client => _origin.Client;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync(root => File.WriteAllText(Path.Join(root, "doc.txt"), "base"));

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Session_OpenHeartbeatClose()
    {
        var session = await Client.OpenSessionAsync("ws-001");
        session.ClientName.Should().Be("ws-001");
        session.TtlMs.Should().Be(30_000);
        session.Cursor.Should().Be((await Client.ChangesAsync(0)).Cursor);

        _origin.Time.Advance(TimeSpan.FromSeconds(20));
        (await Heartbeat(session.SessionId)).StatusCode.Should().Be(HttpStatusCode.OK);
        _origin.Time.Advance(TimeSpan.FromSeconds(20));
        (await Heartbeat(session.SessionId)).StatusCode.Should().Be(HttpStatusCode.OK, "the heartbeat renewed it");

        (await Client.Http.DeleteAsync($"{Routes.Sessions}/{session.SessionId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await OriginClient.Problem(await Heartbeat(session.SessionId), HttpStatusCode.Gone, ErrorCode.SessionExpired);
    }

    [Fact]
    public async Task Session_NotRenewedWithinTtl_Lapses()
    {
        var session = await Client.OpenSessionAsync("ws-001");
        _origin.Time.Advance(PastTtl);
        await OriginClient.Problem(await Heartbeat(session.SessionId), HttpStatusCode.Gone, ErrorCode.SessionExpired);
        await OriginClient.Problem(await Client.LeaseRawAsync(session.SessionId, "doc.txt", LeaseMode.Read), HttpStatusCode.Gone, ErrorCode.SessionExpired);
    }

    [Fact]
    public async Task WriteLease_HeldByAnother_Is409NamingTheHolder_AndBreaksTheHoldersLease()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        await using var events = await EventReader.OpenAsync(Client, a.SessionId, a.Cursor);

        var report = await OriginClient.Problem(await Client.LeaseRawAsync(b.SessionId, "doc.txt", LeaseMode.Write), HttpStatusCode.Conflict, ErrorCode.LeaseConflict);

        report.Holder.Should().Be("ws-a");
        var e = await events.NextNotKeepAliveAsync();
        e.Event.Type.Should().Be(EventType.LeaseBreak);
        e.Event.Break.Should().Be(new LeaseBreak(grant.LeaseId, grant.NodeId, "doc.txt", "ws-b"));
    }

    [Fact]
    public async Task WriteLease_AskedAgainBySameSession_IsRenewedWithTheSameEpoch()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var first = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        var second = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        second.Should().Be(first);
        first.Epoch.Should().BeGreaterThan(0);
        first.TtlMs.Should().Be(30_000);
        first.Version.Should().Be((await Client.NodeAsync("doc.txt")).Version);
    }

    [Fact]
    public async Task WriteLease_OverReaders_IsGranted_AndTheReadersAreBroken()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        var read = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Read);
        read.Epoch.Should().Be(0);
        await using var events = await EventReader.OpenAsync(Client, a.SessionId, a.Cursor);

        var write = await Client.LeaseAsync(b.SessionId, "doc.txt", LeaseMode.Write);

        write.Mode.Should().Be(LeaseMode.Write);
        var e = await events.NextNotKeepAliveAsync();
        e.Event.Break!.LeaseId.Should().Be(read.LeaseId);
        await OriginClient.Problem(await Client.LeaseRawAsync(a.SessionId, "doc.txt", LeaseMode.Read), HttpStatusCode.Conflict, ErrorCode.LeaseConflict);
    }

    [Fact]
    public async Task Epochs_RiseWithEveryWriteGrant()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var first = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        (await Client.Http.DeleteAsync($"{Routes.Leases}/{first.LeaseId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        var second = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        second.Epoch.Should().BeGreaterThan(first.Epoch);
        second.LeaseId.Should().NotBe(first.LeaseId);
    }

    [Fact]
    public async Task Epochs_AfterARestart_RiseAboveEveryEpochHandedOutBefore()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var before = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);

        await _origin.RestartAsync();

        var b = await Client.OpenSessionAsync("ws-b");
        var after = await Client.LeaseAsync(b.SessionId, "doc.txt", LeaseMode.Write);
        after.Epoch.Should().BeGreaterThan(before.Epoch, "epochs are reserved in stored blocks, and a restart starts past the block");
    }

    [Fact]
    public async Task Upload_WhileAnotherSessionHoldsTheWriteLease_Is409()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        var before = Snapshot.Of(_origin);

        (await OriginClient.Problem(await Client.PutRawAsync("doc.txt", "b's bytes"u8.ToArray(), Session(b.SessionId)), HttpStatusCode.Conflict, ErrorCode.LeaseConflict)).Holder.Should().Be("ws-a");
        (await OriginClient.Problem(await Client.PutRawAsync("doc.txt", "anonymous"u8.ToArray()), HttpStatusCode.Conflict, ErrorCode.LeaseConflict)).Holder.Should().Be("ws-a");
        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task Upload_WithTheLiveEpoch_IsAccepted_AndAnotherEpochIs412()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        await Client.PutAsync("doc.txt", "a's bytes", Session(a.SessionId, grant.Epoch));
        await OriginClient.Problem(await Client.PutRawAsync("doc.txt", "x"u8.ToArray(), Session(a.SessionId, grant.Epoch + 100)), HttpStatusCode.PreconditionFailed, ErrorCode.StaleLease);
    }

    [Fact]
    public async Task Fencing_AClientFrozenPastItsTtl_IsRefused_EvenWhenNobodyHoldsTheLease()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        _origin.Time.Advance(PastTtl);
        var before = Snapshot.Of(_origin);

        var report = await OriginClient.Problem(await Client.PutRawAsync("doc.txt", "late bytes"u8.ToArray(), Session(a.SessionId, grant.Epoch)), HttpStatusCode.PreconditionFailed, ErrorCode.StaleLease);

        report.Message.Should().Contain(grant.Epoch.ToString(CultureInfo.InvariantCulture));
        Snapshot.Of(_origin).Should().Be(before);
    }

    [Fact]
    public async Task Fencing_AfterAnotherClientWrote_KeepsItsVersion()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var aGrant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        var baseVersion = (await Client.NodeAsync("doc.txt")).ContentVersion;
        _origin.Time.Advance(PastTtl);

        var b = await Client.OpenSessionAsync("ws-b");
        var bGrant = await Client.LeaseAsync(b.SessionId, "doc.txt", LeaseMode.Write);
        bGrant.Epoch.Should().BeGreaterThan(aGrant.Epoch);
        await Client.PutAsync("doc.txt", "b wins", r =>
        {
            Session(b.SessionId, bGrant.Epoch)(r);
            r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{baseVersion}\""));
        });

        await OriginClient.Problem(await Client.PutRawAsync("doc.txt", "a after SIGCONT"u8.ToArray(), r =>
        {
            Session(a.SessionId, aGrant.Epoch)(r);
            r.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{baseVersion}\""));
        }), HttpStatusCode.PreconditionFailed, ErrorCode.StaleLease);
        Encoding.UTF8.GetString(await Client.ReadAsync("doc.txt")).Should().Be("b wins");
    }

    [Fact]
    public async Task Expiry_RevokesTheLeases_TellsTheHolder_AndLetsOthersWrite()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        await using var events = await EventReader.OpenAsync(Client, a.SessionId, a.Cursor);

        _origin.Time.Advance(TimeSpan.FromSeconds(20));
        await Heartbeat(b.SessionId);
        _origin.Time.Advance(TimeSpan.FromSeconds(11));

        var e = await events.NextNotKeepAliveAsync();
        e.Event.Type.Should().Be(EventType.LeaseRevoked);
        e.Event.Break!.LeaseId.Should().Be(grant.LeaseId);
        e.Event.Break.Path.Should().Be("doc.txt");
        (await events.EndedAsync()).Should().BeTrue("the session's stream ends with it");
        (await Client.LeaseAsync(b.SessionId, "doc.txt", LeaseMode.Write)).Epoch.Should().BeGreaterThan(grant.Epoch);
    }

    [Fact]
    public async Task Heartbeats_KeepTheLeaseAlivePastTheTtl()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        for (var i = 0; i < 5; i++)
        {
            _origin.Time.Advance(TimeSpan.FromSeconds(20));
            await Heartbeat(a.SessionId);
            await Heartbeat(b.SessionId);
        }

        await OriginClient.Problem(await Client.LeaseRawAsync(b.SessionId, "doc.txt", LeaseMode.Write), HttpStatusCode.Conflict, ErrorCode.LeaseConflict);
        await Client.PutAsync("doc.txt", "still mine", Session(a.SessionId, grant.Epoch));
    }

    [Fact]
    public async Task RenameOntoOrRemoveOf_AFileAnotherSessionWrites_IsRefused()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        await Client.PutAsync("doc.txt.tmp", "editor's save");
        var before = Snapshot.Of(_origin);

        using (var rename = await Client.PostRawAsync(Routes.Rename, new RenameRequest("doc.txt.tmp", "doc.txt"), Json.RenameRequest, b.SessionId))
            (await OriginClient.Problem(rename, HttpStatusCode.Conflict, ErrorCode.LeaseConflict)).Holder.Should().Be("ws-a");
        using (var remove = await Client.PostRawAsync(Routes.Remove, new RemoveRequest("doc.txt", false), Json.RemoveRequest, b.SessionId))
            (await OriginClient.Problem(remove, HttpStatusCode.Conflict, ErrorCode.LeaseConflict)).Holder.Should().Be("ws-a");
        using (var truncate = await Client.PostRawAsync(Routes.SetAttributes, new SetAttributesRequest("doc.txt") { Size = 0 }, Json.SetAttributesRequest, b.SessionId))
            await OriginClient.Problem(truncate, HttpStatusCode.Conflict, ErrorCode.LeaseConflict);
        Snapshot.Of(_origin).Should().Be(before);

        await Client.OpAsync(Routes.Rename, new RenameRequest("doc.txt.tmp", "doc.txt"), Json.RenameRequest, a.SessionId);
    }

    [Fact]
    public async Task ALease_FollowsItsFileThroughARename()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        await Client.OpAsync(Routes.Rename, new RenameRequest("doc.txt", "renamed.txt"), Json.RenameRequest, a.SessionId);
        await Client.PutAsync("renamed.txt", "after rename", Session(a.SessionId, grant.Epoch));
        var b = await Client.OpenSessionAsync("ws-b");
        await OriginClient.Problem(await Client.LeaseRawAsync(b.SessionId, "renamed.txt", LeaseMode.Write), HttpStatusCode.Conflict, ErrorCode.LeaseConflict);
    }

    [Fact]
    public async Task ReleasedLease_LetsTheNextWriterIn()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        var b = await Client.OpenSessionAsync("ws-b");
        var grant = await Client.LeaseAsync(a.SessionId, "doc.txt", LeaseMode.Write);
        (await Client.Http.DeleteAsync($"{Routes.Leases}/{grant.LeaseId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await Client.Http.DeleteAsync($"{Routes.Leases}/{grant.LeaseId}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await Client.LeaseAsync(b.SessionId, "doc.txt", LeaseMode.Write);
    }

    [Fact]
    public async Task Lease_OnADirectory_OrAMissingFile_IsRefused()
    {
        var a = await Client.OpenSessionAsync("ws-a");
        await OriginClient.Problem(await Client.LeaseRawAsync(a.SessionId, "", LeaseMode.Write), HttpStatusCode.Conflict, ErrorCode.IsDirectory);
        await OriginClient.Problem(await Client.LeaseRawAsync(a.SessionId, "missing", LeaseMode.Write), HttpStatusCode.NotFound, ErrorCode.NotFound);
    }

    private Task<HttpResponseMessage> Heartbeat(string session) => Client.Http.PostAsync($"{Routes.Sessions}/{session}{Routes.HeartbeatSuffix}", null);

    private static Action<HttpRequestMessage> Session(string session, long? epoch = null) => request =>
    {
        request.Headers.Add(Headers.Session, session);
        if (epoch is not null)
            request.Headers.Add(Headers.LeaseEpoch, epoch.Value.ToString(CultureInfo.InvariantCulture));
    };
}
