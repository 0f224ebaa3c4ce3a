using System.Runtime.Versioning;
using System.Text;
using CacheFs.Remote;
using CacheFs.Sync.Tests.Harness;
using CacheFs.Volume;

namespace CacheFs.Sync.Tests.Locks;

/// <summary>
/// Locks kept by a real origin, driven through the core's <see cref="IByteRangeLocks"/> as a host would: they clash
/// across mirrors, and taking and letting go of them moves the file's bytes (an unlock sends, a grant catches up).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class OriginLocksTests : IAsyncLifetime
{
    private const ulong OwnerA = 0xA;
    private const ulong OwnerB = 0xB;
    private static readonly RangeLock WholeWrite = new(LockSpace.Posix, RangeLockType.Write, 0, 0, OwnerA);

    private OriginHost _origin = null!;

    public async Task InitializeAsync() =>
        _origin = await OriginHost.StartAsync(root => File.WriteAllText(Path.Join(root, "shared.db"), "page one"));

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task Lock_HeldByAnotherMirror_WouldBlockAndTestNamesTheHolder()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        (await LockAsync(a, WholeWrite with { Start = 100, Length = 50 })).Status.Should().Be(FsStatus.Ok);

        var onB = new RangeLock(LockSpace.Posix, RangeLockType.Read, 120, 1, OwnerB);
        (await LockAsync(b, onB)).Status.Should().Be(FsStatus.WouldBlock);
        (await LockAsync(b, onB with { Start = 150 })).Status.Should().Be(FsStatus.Ok, "the byte after A's range is free");

        var tested = await LockAsync(b, onB with { Test = true });
        tested.Status.Should().Be(FsStatus.Ok);
        tested.Conflict.Should().Be(new LockConflict(RangeLockType.Write, 100, 50, 0, "ws-a"), "a remote holder has no pid here");
        (await LockAsync(b, onB with { Space = LockSpace.Flock, Start = 0, Length = 0 })).Status.Should().Be(FsStatus.Ok, "flock is a separate space");
    }

    [Fact]
    public async Task ReleaseOwner_ClosesTheOwnersLocks_TheOtherMirrorGetsThem()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        var node = a.At("shared.db").Id;
        (await LockAsync(a, WholeWrite)).Status.Should().Be(FsStatus.Ok);
        a.Volume.Locks!.MayHold(node, LockSpace.Posix, OwnerA).Should().BeTrue();
        a.Volume.Locks.MayHold(node, LockSpace.Posix, OwnerB).Should().BeFalse("only owners that asked must release at close");

        (await a.Volume.Locks.ReleaseOwnerAsync(node, LockSpace.Posix, OwnerA, CancellationToken.None)).Should().Be(FsStatus.Ok);

        (await LockAsync(b, WholeWrite with { Owner = OwnerB })).Status.Should().Be(FsStatus.Ok);
    }

    [Fact]
    public async Task Unlock_AfterAWrite_TheBytesAreOnTheOriginBeforeTheUnlockReturns()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        (await LockAsync(a, WholeWrite)).Status.Should().Be(FsStatus.Ok);
        var handle = a.Open("shared.db", OpenFlags.ReadWrite);
        a.Volume.Write(handle, 0, "page two"u8).Status.Should().Be(FsStatus.Ok);

        (await LockAsync(a, WholeWrite with { Type = RangeLockType.Unlock })).Status.Should().Be(FsStatus.Ok);

        File.ReadAllText(_origin.Disk("shared.db")).Should().Be("page two", "no close and no fsync: the unlock itself sent them");
        a.Volume.Release(handle).Should().Be(FsStatus.Ok);
    }

    [Fact]
    public async Task Lock_AfterAnotherMirrorsCommit_ReadsItsBytesWithoutWaitingForTheStream()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        await using var b = await Mirror.StartAsync(_origin, "ws-b");
        Encoding.UTF8.GetString(b.ReadAll("shared.db")).Should().Be("page one", "B has the old bytes cached");

        (await LockAsync(a, WholeWrite)).Status.Should().Be(FsStatus.Ok);
        a.Overwrite("shared.db", "page two"u8.ToArray());
        _origin.Relay.HoldEvents();
        (await LockAsync(a, WholeWrite with { Type = RangeLockType.Unlock })).Status.Should().Be(FsStatus.Ok);

        // B's lock is granted by the origin at once, but the call waits until B has applied A's change.
        var locking = LockAsync(b, WholeWrite with { Owner = OwnerB, Type = RangeLockType.Read });
        await Task.WhenAny(locking, Task.Delay(TimeSpan.FromMilliseconds(300)));
        locking.IsCompleted.Should().BeFalse("the change A sent before letting go has not reached B yet");
        _origin.Relay.ReleaseEvents();
        (await locking).Status.Should().Be(FsStatus.Ok);

        Encoding.UTF8.GetString(b.ReadAll("shared.db")).Should().Be("page two");
    }

    [Fact]
    public async Task Lock_OriginDown_NoLocksRatherThanALockNoOneElseSees()
    {
        await using var a = await Mirror.StartAsync(_origin, "ws-a");
        _ = a.At("shared.db");
        await _origin.StopAsync();

        (await LockAsync(a, WholeWrite)).Status.Should().Be(FsStatus.NoLocks);
    }

    private static async Task<LockOutcome> LockAsync(Mirror mirror, RangeLock request)
    {
        var node = mirror.At("shared.db").Id;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await mirror.Volume.Locks!.LockAsync(node, request, wait: false, limit.Token);
    }
}
