using CacheFs.Origin.Locks;
using CacheFs.Protocol;

namespace CacheFs.Origin.Tests.Locks;

public sealed class LockTableTests
{
    private const long Node = 7;
    private static readonly LockOwner A = new("s1", "a");
    private static readonly LockOwner B = new("s1", "b");
    private static readonly LockOwner C = new("s2", "c");

    private readonly LockTable _table = new();

    [Fact]
    public void Set_SameOwnerOverlappingSameType_MergesIntoOne()
    {
        Posix(A, LockType.Read, 0, 10).Should().BeNull();
        Posix(A, LockType.Read, 5, 20).Should().BeNull();
        Ranges(A).Should().Equal((LockType.Read, 0L, 20L));
    }

    [Fact]
    public void Set_SameOwnerAdjacentSameType_Merges()
    {
        Posix(A, LockType.Write, 0, 10);
        Posix(A, LockType.Write, 10, 20);
        Ranges(A).Should().Equal((LockType.Write, 0L, 20L));
    }

    [Fact]
    public void Set_SameOwnerAdjacentDifferentType_StaysSeparate()
    {
        Posix(A, LockType.Write, 0, 10);
        Posix(A, LockType.Read, 10, 20);
        Ranges(A).Should().Equal((LockType.Write, 0L, 10L), (LockType.Read, 10L, 20L));
    }

    [Fact]
    public void Set_ReadInsideOwnWrite_SplitsIntoThree()
    {
        Posix(A, LockType.Write, 0, 100);
        Posix(A, LockType.Read, 40, 60);
        Ranges(A).Should().Equal((LockType.Write, 0L, 40L), (LockType.Read, 40L, 60L), (LockType.Write, 60L, 100L));
    }

    [Fact]
    public void Set_UnlockOfSubRange_SplitsTheLock()
    {
        Posix(A, LockType.Write, 0, HeldLock.Infinity);
        Posix(A, LockType.Unlock, 10, 20);
        Ranges(A).Should().Equal((LockType.Write, 0L, 10L), (LockType.Write, 20L, HeldLock.Infinity));
    }

    [Fact]
    public void Set_OwnWriteOverOwnRead_NeverConflicts()
    {
        Posix(A, LockType.Read, 0, 10);
        Posix(A, LockType.Write, 0, 10).Should().BeNull();
        Ranges(A).Should().Equal((LockType.Write, 0L, 10L));
    }

    [Fact]
    public void Set_ReadersOfDifferentOwners_Coexist()
    {
        Posix(A, LockType.Read, 0, 10).Should().BeNull();
        Posix(B, LockType.Read, 5, 15).Should().BeNull();
        Posix(C, LockType.Read, 0, 100).Should().BeNull();
    }

    [Fact]
    public void Set_WriteOverAnotherOwnersRead_ReturnsTheConflictAndChangesNothing()
    {
        Posix(A, LockType.Read, 10, 20);
        var conflict = Posix(B, LockType.Write, 15, 30);
        conflict.Should().NotBeNull();
        conflict!.Owner.Should().Be(A);
        conflict.Describe().Should().Be(new LockDescription(LockType.Read, 10, 10, 0, "client"));
        Ranges(B).Should().BeEmpty();
    }

    [Fact]
    public void Set_LockToInfinity_ConflictsFarAway()
    {
        Posix(A, LockType.Write, 1000, HeldLock.Infinity);
        Posix(B, LockType.Read, long.MaxValue - 10, long.MaxValue - 1).Should().NotBeNull();
        Posix(B, LockType.Read, 0, 1000).Should().BeNull();
        _table.Held(Node, LockFamily.Posix).Single(l => l.Owner == A).Describe().Length.Should().Be(0, "length 0 means to infinity");
    }

    [Fact]
    public void Conflict_IsFGetLk_AndTakesNothing()
    {
        Posix(C, LockType.Write, 0, 5);
        _table.Conflict(Node, LockFamily.Posix, A, LockType.Read, 4, 8)!.Owner.Should().Be(C);
        _table.Conflict(Node, LockFamily.Posix, A, LockType.Read, 5, 8).Should().BeNull();
        _table.Conflict(Node, LockFamily.Posix, C, LockType.Write, 0, 100).Should().BeNull("an owner never conflicts with itself");
        Ranges(A).Should().BeEmpty();
    }

    [Fact]
    public void Flock_SharedThenExclusiveOfAnother_Conflicts()
    {
        Flock(A, LockType.Read).Should().BeNull();
        Flock(B, LockType.Read).Should().BeNull();
        Flock(C, LockType.Write)!.Owner.Should().Be(A);
    }

    [Fact]
    public void Flock_UpgradeRefused_KeepsTheSharedLock()
    {
        Flock(A, LockType.Read);
        Flock(B, LockType.Read);
        Flock(A, LockType.Write).Should().NotBeNull();
        _table.Held(Node, LockFamily.Flock).Should().Contain(l => l.Owner == A && l.Type == LockType.Read);
    }

    [Fact]
    public void Flock_UpgradeAndDowngrade_ReplaceTheOwnersLock()
    {
        Flock(A, LockType.Read);
        Flock(A, LockType.Write).Should().BeNull();
        _table.Held(Node, LockFamily.Flock).Should().ContainSingle().Which.Type.Should().Be(LockType.Write);
        Flock(A, LockType.Read).Should().BeNull();
        Flock(B, LockType.Read).Should().BeNull();
        Flock(A, LockType.Unlock).Should().BeNull();
        _table.Held(Node, LockFamily.Flock).Should().ContainSingle().Which.Owner.Should().Be(B);
    }

    [Fact]
    public void Families_AreSeparateSpaces()
    {
        Flock(A, LockType.Write);
        Posix(B, LockType.Write, 0, HeldLock.Infinity).Should().BeNull();
    }

    [Fact]
    public void ReleaseOwner_DropsOnlyThatOwnersLocks()
    {
        Posix(A, LockType.Read, 0, 10);
        Posix(B, LockType.Read, 0, 10);
        _table.ReleaseOwner(Node, LockFamily.Posix, A).Should().BeTrue();
        _table.ReleaseOwner(Node, LockFamily.Posix, A).Should().BeFalse();
        _table.Held(Node, LockFamily.Posix).Should().ContainSingle().Which.Owner.Should().Be(B);
    }

    [Fact]
    public void ReleaseSession_DropsEveryLockOfTheSession_AndNamesTheNodes()
    {
        Posix(A, LockType.Read, 0, 10);
        _table.Set(8, LockFamily.Flock, B, LockType.Write, 0, 0, 1, "client");
        Posix(C, LockType.Read, 0, 10);
        _table.ReleaseSession("s1").Should().BeEquivalentTo([Node, 8L]);
        _table.Count.Should().Be(1);
    }

    /// <summary>Random operations against a byte map per owner: same grants and refusals, same bytes held, canonical ranges.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_MatchesByteMapModel(int seed)
    {
        const int Bytes = 64;
        var owners = new[] { A, B, C };
        var model = owners.ToDictionary(o => o, _ => new LockType?[Bytes]);
        var random = new Random(seed);
        for (var step = 0; step < 3000; step++)
        {
            var owner = owners[random.Next(owners.Length)];
            if (random.Next(20) == 0)
            {
                _table.ReleaseOwner(Node, LockFamily.Posix, owner);
                Array.Clear(model[owner]);
                continue;
            }

            var type = (LockType)random.Next(1, 4);
            var start = random.Next(0, 40);
            var length = random.Next(0, 13);
            var end = length == 0 ? HeldLock.Infinity : start + length;
            var modelEnd = length == 0 ? Bytes : start + length;
            var conflicts = type != LockType.Unlock && owners.Any(other => other != owner
                && Enumerable.Range(start, modelEnd - start).Any(i => model[other][i] is { } held && (held == LockType.Write || type == LockType.Write)));

            var conflict = _table.Set(Node, LockFamily.Posix, owner, type, start, end, 1, "client");
            (conflict is not null).Should().Be(conflicts, $"step {step}: {owner.Owner} {type} [{start}, {end})");
            if (!conflicts)
            {
                for (var i = start; i < modelEnd; i++)
                    model[owner][i] = type == LockType.Unlock ? null : type;
            }

            foreach (var o in owners)
                Expand(o, Bytes).Should().Equal(model[o], $"step {step}: the bytes {o.Owner} holds");
            CheckCanonical();
        }
    }

    private LockType?[] Expand(LockOwner owner, int bytes)
    {
        var map = new LockType?[bytes];
        foreach (var held in _table.Held(Node, LockFamily.Posix).Where(l => l.Owner == owner))
        {
            for (var i = held.Start; i < Math.Min(held.End, bytes); i++)
                map[i] = held.Type;
        }

        return map;
    }

    private void CheckCanonical()
    {
        foreach (var group in _table.Held(Node, LockFamily.Posix).GroupBy(l => l.Owner))
        {
            var sorted = group.OrderBy(l => l.Start).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                sorted[i].Start.Should().BeGreaterThanOrEqualTo(sorted[i - 1].End, "an owner's ranges never overlap");
                (sorted[i].Start == sorted[i - 1].End && sorted[i].Type == sorted[i - 1].Type).Should().BeFalse("adjacent ranges of one type are merged");
            }
        }
    }

    private HeldLock? Posix(LockOwner owner, LockType type, long start, long end) =>
        _table.Set(Node, LockFamily.Posix, owner, type, start, end, 0, "client");

    private HeldLock? Flock(LockOwner owner, LockType type) => _table.Set(Node, LockFamily.Flock, owner, type, 0, 0, 0, "client");

    private List<(LockType, long, long)> Ranges(LockOwner owner) =>
        [.. _table.Held(Node, LockFamily.Posix).Where(l => l.Owner == owner).OrderBy(l => l.Start).Select(l => (l.Type, l.Start, l.End))];
}
