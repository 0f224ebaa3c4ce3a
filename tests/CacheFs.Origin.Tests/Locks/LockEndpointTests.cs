using System.Net;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Locks;

/// <summary>Byte-range locks and flock through HTTP: conflicts between sessions, waiting, and release when a session ends.</summary>
public sealed class LockEndpointTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;
    private SessionInfo _a = null!;
    private SessionInfo _b = null!;

    private OriginClient Client => _origin.Client;

    public async Task InitializeAsync()
    {
        _origin = await TestOrigin.StartAsync(root => File.WriteAllText(Path.Join(root, "db.sqlite"), "pages"));
        _a = await Client.OpenSessionAsync("ws-a");
        _b = await Client.OpenSessionAsync("ws-b");
    }

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Lock_ConflictingOwnerOfAnotherSession_IsNotGranted_AndTestReportsTheHolder()
    {
        (await Client.LockAsync(Posix(_a, "p1", LockType.Write, 0, 100) with { Pid = 41 })).Granted.Should().BeTrue();

        var refused = await Client.LockAsync(Posix(_b, "p2", LockType.Read, 50, 10));
        refused.Granted.Should().BeFalse();
        refused.Conflict.Should().Be(new LockDescription(LockType.Write, 0, 100, 41, "ws-a"));

        var test = await Client.LockAsync(Posix(_b, "p2", LockType.Read, 100, 0) with { Test = true });
        test.Granted.Should().BeTrue("F_GETLK past the held range finds nothing");
        (await Client.LockAsync(Posix(_b, "p2", LockType.Read, 100, 0))).Granted.Should().BeTrue();
    }

    [Fact]
    public async Task Lock_Wait_IsGrantedWhenTheHolderUnlocks()
    {
        await Client.LockAsync(Posix(_a, "p1", LockType.Write, 0, 0));
        var waiting = Client.LockAsync(Posix(_b, "p2", LockType.Write, 10, 5) with { Wait = true });
        await Task.Delay(100);
        waiting.IsCompleted.Should().BeFalse();

        await Client.LockAsync(Posix(_a, "p1", LockType.Unlock, 0, 0));
        (await waiting.WaitAsync(TimeSpan.FromSeconds(15))).Granted.Should().BeTrue();
    }

    [Fact]
    public async Task Lock_Wait_PastTheLongPollLimit_Is409LockConflict()
    {
        await Client.LockAsync(Posix(_a, "p1", LockType.Write, 0, 0));
        var waiting = Client.PostRawAsync(Routes.Locks, Posix(_b, "p2", LockType.Write, 0, 0) with { Wait = true }, ProtocolJson.Default.LockRequest);
        for (var i = 0; i < 100 && !waiting.IsCompleted; i++)
        {
            // The request may not be waiting yet when the clock moves: move it again until the wait gives up.
            await Task.Delay(50);
            _origin.Time.Advance(TimeSpan.FromSeconds(21));
        }

        var report = await OriginClient.Problem(await waiting.WaitAsync(TimeSpan.FromSeconds(15)), HttpStatusCode.Conflict, ErrorCode.LockConflict);
        report.Holder.Should().Be("ws-a");
    }

    [Fact]
    public async Task Lock_SessionEnd_ReleasesItsLocks_AndWakesWaiters()
    {
        await Client.LockAsync(Posix(_a, "p1", LockType.Write, 0, 0));
        await Client.LockAsync(new LockRequest(_a.SessionId, "db.sqlite", "file1", LockFamily.Flock, LockType.Write, 0, 0));
        var waiting = Client.LockAsync(Posix(_b, "p2", LockType.Read, 0, 0) with { Wait = true });
        await Task.Delay(100);

        (await Client.Http.DeleteAsync($"{Routes.Sessions}/{_a.SessionId}")).EnsureSuccessStatusCode();

        (await waiting.WaitAsync(TimeSpan.FromSeconds(15))).Granted.Should().BeTrue();
        (await Client.LockAsync(new LockRequest(_b.SessionId, "db.sqlite", "file2", LockFamily.Flock, LockType.Write, 0, 0))).Granted.Should().BeTrue();
    }

    [Fact]
    public async Task Lock_OfALapsedSession_IsReleased()
    {
        await Client.LockAsync(Posix(_a, "p1", LockType.Write, 0, 0));
        _origin.Time.Advance(TimeSpan.FromSeconds(20));
        await Client.Http.PostAsync($"{Routes.Sessions}/{_b.SessionId}{Routes.HeartbeatSuffix}", null);
        _origin.Time.Advance(TimeSpan.FromSeconds(11));
        (await Client.LockAsync(Posix(_b, "p2", LockType.Write, 0, 0))).Granted.Should().BeTrue();
        await OriginClient.Problem(await Client.PostRawAsync(Routes.Locks, Posix(_a, "p1", LockType.Read, 0, 1), ProtocolJson.Default.LockRequest), HttpStatusCode.Gone, ErrorCode.SessionExpired);
    }

    [Fact]
    public async Task ReleaseOwner_DropsThatOwnersLocksOnly()
    {
        await Client.LockAsync(Posix(_a, "p1", LockType.Read, 0, 10));
        await Client.LockAsync(Posix(_a, "p2", LockType.Read, 20, 10));
        using var release = await Client.PostRawAsync(Routes.ReleaseOwnerLocks, new LockOwnerRequest(_a.SessionId, "db.sqlite", "p1", LockFamily.Posix), ProtocolJson.Default.LockOwnerRequest);
        release.StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Client.LockAsync(Posix(_b, "x", LockType.Write, 0, 10))).Granted.Should().BeTrue();
        (await Client.LockAsync(Posix(_b, "x", LockType.Write, 20, 10))).Granted.Should().BeFalse();
    }

    [Fact]
    public async Task Locks_FollowTheFileThroughARename()
    {
        await Client.LockAsync(Posix(_a, "p1", LockType.Write, 0, 0));
        await Client.OpAsync(Routes.Rename, new RenameRequest("db.sqlite", "moved.sqlite"), ProtocolJson.Default.RenameRequest);
        (await Client.LockAsync(new LockRequest(_b.SessionId, "moved.sqlite", "p2", LockFamily.Posix, LockType.Read, 0, 1))).Granted.Should().BeFalse();
    }

    [Fact]
    public async Task Lock_WithANegativeRange_IsInvalid()
    {
        await OriginClient.Problem(await Client.PostRawAsync(Routes.Locks, Posix(_a, "p1", LockType.Read, -1, 1), ProtocolJson.Default.LockRequest), HttpStatusCode.BadRequest, ErrorCode.InvalidArgument);
    }

    private static LockRequest Posix(SessionInfo session, string owner, LockType type, long start, long length) =>
        new(session.SessionId, "db.sqlite", owner, LockFamily.Posix, type, start, length);
}
