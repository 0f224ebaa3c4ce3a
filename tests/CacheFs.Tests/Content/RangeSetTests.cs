using CacheFs.Content;

namespace CacheFs.Tests.Content;

public sealed class RangeSetTests
{
    private static RangeSet Of(params (long Start, long End)[] ranges)
    {
        var set = new RangeSet();
        foreach (var (start, end) in ranges)
            set.Add(start, end);
        return set;
    }

    [Fact]
    public void Constructor_New_Empty()
    {
        var set = new RangeSet();

        set.Count.Should().Be(0);
        set.Length.Should().Be(0);
        set.Should().BeEmpty();
        set.ToString().Should().BeEmpty();
    }

    [Fact]
    public void Add_Disjoint_KeptSorted()
    {
        var set = Of((20, 30), (0, 5), (10, 12));

        set.Should().Equal((0L, 5L), (10L, 12L), (20L, 30L));
        set.Count.Should().Be(3);
        set.Length.Should().Be(17);
        set.ToString().Should().Be("[0,5),[10,12),[20,30)");
    }

    [Fact]
    public void Add_Overlapping_Merges() => Of((0, 10), (5, 15)).Should().Equal((0L, 15L));

    [Fact]
    public void Add_AdjacentOnRight_Merges() => Of((0, 10), (10, 20)).Should().Equal((0L, 20L));

    [Fact]
    public void Add_AdjacentOnLeft_Merges() => Of((10, 20), (0, 10)).Should().Equal((0L, 20L));

    [Fact]
    public void Add_BridgingSeveral_MergesAll() =>
        Of((0, 2), (4, 6), (8, 10), (20, 22), (3, 9)).Should().Equal((0L, 2L), (3L, 10L), (20L, 22L));

    [Fact]
    public void Add_FillingGapsExactly_OneRange() =>
        Of((0, 2), (4, 6), (2, 4)).Should().Equal((0L, 6L));

    [Fact]
    public void Add_Covering_ReplacesInner() => Of((2, 3), (5, 6), (0, 100)).Should().Equal((0L, 100L));

    [Fact]
    public void Add_Inside_NoChange() => Of((0, 100), (10, 20)).Should().Equal((0L, 100L));

    [Theory]
    [InlineData(5, 5)]
    [InlineData(5, 4)]
    public void Add_EmptyOrBackwards_Ignored(long start, long end) =>
        Of((0, 2), (start, end)).Should().Equal((0L, 2L));

    [Fact]
    public void Add_NegativeStart_Throws()
    {
        var set = new RangeSet();

        set.Invoking(s => s.Add(-1, 5)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Remove_Middle_Splits() => Of((0, 10)).Also(s => s.Remove(3, 5)).Should().Equal((0L, 3L), (5L, 10L));

    [Fact]
    public void Remove_AcrossSeveral_TrimsEnds() =>
        Of((0, 4), (6, 8), (10, 14)).Also(s => s.Remove(2, 12)).Should().Equal((0L, 2L), (12L, 14L));

    [Fact]
    public void Remove_ExactRange_Drops() => Of((0, 4), (6, 8)).Also(s => s.Remove(6, 8)).Should().Equal((0L, 4L));

    [Fact]
    public void Remove_TouchingOnly_NoChange() =>
        Of((5, 10)).Also(s => s.Remove(0, 5)).Also(s => s.Remove(10, 20)).Should().Equal((5L, 10L));

    [Fact]
    public void Remove_EmptyRange_NoChange() => Of((0, 10)).Also(s => s.Remove(4, 4)).Should().Equal((0L, 10L));

    [Fact]
    public void Remove_Gap_NoChange() => Of((0, 2), (8, 10)).Also(s => s.Remove(3, 7)).Should().Equal((0L, 2L), (8L, 10L));

    [Fact]
    public void TruncateTo_InsideRange_CutsAndDropsLater() =>
        Of((0, 10), (20, 30)).Also(s => s.TruncateTo(5)).Should().Equal((0L, 5L));

    [Fact]
    public void TruncateTo_Zero_Empties() => Of((0, 10), (20, 30)).Also(s => s.TruncateTo(0)).Should().BeEmpty();

    [Fact]
    public void TruncateTo_PastEnd_NoChange() => Of((0, 10)).Also(s => s.TruncateTo(10)).Should().Equal((0L, 10L));

    [Theory]
    [InlineData(0, 10, true)]
    [InlineData(2, 8, true)]
    [InlineData(0, 11, false)]
    [InlineData(10, 20, false)]
    [InlineData(9, 10, true)]
    [InlineData(15, 25, true)]
    [InlineData(5, 25, false)]
    [InlineData(12, 12, true)]
    [InlineData(40, 41, false)]
    public void Contains_Range_AnswersWhetherFullyPresent(long start, long end, bool expected) =>
        Of((0, 10), (15, 25)).Contains(start, end).Should().Be(expected);

    [Fact]
    public void Contains_EmptySet_OnlyEmptyRange()
    {
        var set = new RangeSet();

        set.Contains(0, 0).Should().BeTrue();
        set.Contains(0, 1).Should().BeFalse();
    }

    [Fact]
    public void Missing_MixedRange_ReturnsGapsInOrder() =>
        Of((2, 4), (6, 8)).Missing(0, 10).Should().Equal((0L, 2L), (4L, 6L), (8L, 10L));

    [Fact]
    public void Missing_FullyPresent_Empty() => Of((0, 100)).Missing(10, 20).Should().BeEmpty();

    [Fact]
    public void Missing_NothingPresent_WholeRange() => new RangeSet().Missing(5, 9).Should().Equal((5L, 9L));

    [Fact]
    public void Missing_RangeEndingInsideGap_ClipsToEnd() =>
        Of((0, 2), (7, 9)).Missing(1, 5).Should().Equal((2L, 5L));

    [Fact]
    public void Missing_RangeStartingInsidePresent_SkipsIt() =>
        Of((0, 4)).Missing(2, 6).Should().Equal((4L, 6L));

    [Fact]
    public void Clone_ThenChangeEither_Independent()
    {
        var original = Of((0, 4));
        var copy = original.Clone();

        copy.Add(10, 12);
        original.Remove(0, 2);

        copy.Should().Equal((0L, 4L), (10L, 12L));
        original.Should().Equal((2L, 4L));
    }

    [Fact]
    public void AddRemove_RandomSequence_MatchesBitmapModel()
    {
        var random = new Random(42);
        var set = new RangeSet();
        var model = new bool[300];
        for (var step = 0; step < 2000; step++)
        {
            var a = random.Next(0, 300);
            var b = random.Next(0, 300);
            var (start, end) = (Math.Min(a, b), Math.Max(a, b));
            var add = random.Next(3) != 0;
            if (add)
                set.Add(start, end);
            else
                set.Remove(start, end);
            for (var i = start; i < end; i++)
                model[i] = add;

            Expected(model).Should().Equal(set, "after step {0}", step);
            set.Length.Should().Be(model.Count(x => x));
        }
    }

    private static List<(long Start, long End)> Expected(bool[] model)
    {
        var ranges = new List<(long, long)>();
        for (var i = 0; i < model.Length; i++)
        {
            if (!model[i])
                continue;
            var start = i;
            while (i < model.Length && model[i])
                i++;
            ranges.Add((start, i));
        }

        return ranges;
    }
}

internal static class RangeSetTestExtensions
{
    public static RangeSet Also(this RangeSet set, Action<RangeSet> change)
    {
        change(set);
        return set;
    }
}
