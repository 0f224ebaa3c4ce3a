using CacheFs.Nodes;

namespace CacheFs.Tests.Nodes;

public sealed class TimestampTests
{
    private const long FileTimeOfUnixEpoch = 116_444_736_000_000_000;

    [Fact]
    public void FromUnix_SecondsAndNanos_CombinesIntoNanoseconds()
    {
        var t = Timestamp.FromUnix(1_700_000_000, 123_456_789);

        t.Nanoseconds.Should().Be(1_700_000_000_123_456_789);
        t.Seconds.Should().Be(1_700_000_000);
        t.NanosecondPart.Should().Be(123_456_789);
    }

    [Fact]
    public void Seconds_BeforeEpoch_FloorsAndNanosecondPartStaysPositive()
    {
        var t = Timestamp.FromUnix(-2, 250_000_000); // -1.75 s

        t.Nanoseconds.Should().Be(-1_750_000_000);
        t.Seconds.Should().Be(-2);
        t.NanosecondPart.Should().Be(250_000_000);
    }

    [Fact]
    public void Seconds_OneNanosecondBeforeEpoch_MinusOneAndMaxNanos()
    {
        var t = new Timestamp(-1);

        t.Seconds.Should().Be(-1);
        t.NanosecondPart.Should().Be(999_999_999);
    }

    [Fact]
    public void Seconds_WholeNegativeSecond_NoBorrow()
    {
        var t = Timestamp.FromUnix(-3, 0);

        t.Seconds.Should().Be(-3);
        t.NanosecondPart.Should().Be(0);
    }

    [Fact]
    public void FromDateTimeOffset_UnixEpoch_Zero() =>
        Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch).Nanoseconds.Should().Be(0);

    [Fact]
    public void FromDateTimeOffset_OtherOffset_CountsUtc()
    {
        var local = new DateTimeOffset(2024, 3, 1, 14, 0, 0, TimeSpan.FromHours(2));
        var utc = new DateTimeOffset(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

        Timestamp.FromDateTimeOffset(local).Should().Be(Timestamp.FromDateTimeOffset(utc));
        Timestamp.FromDateTimeOffset(utc).Seconds.Should().Be(utc.ToUnixTimeSeconds());
    }

    [Fact]
    public void ToDateTimeOffset_TickPrecision_RoundTrips()
    {
        var value = new DateTimeOffset(2026, 11, 21, 14, 30, 5, TimeSpan.Zero).AddTicks(1234567);

        Timestamp.FromDateTimeOffset(value).ToDateTimeOffset().Should().Be(value);
    }

    [Fact]
    public void ToDateTimeOffset_SubTickNanos_DroppedNotRounded()
    {
        var t = Timestamp.FromUnix(10, 199); // 1 tick and 99 ns

        t.ToDateTimeOffset().Should().Be(DateTimeOffset.UnixEpoch.AddSeconds(10).AddTicks(1));
    }

    [Fact]
    public void ToFileTime_UnixEpoch_KnownFileTime() => new Timestamp(0).ToFileTime().Should().Be(FileTimeOfUnixEpoch);

    [Fact]
    public void FromFileTime_KnownValue_MatchesDateTime()
    {
        var when = new DateTimeOffset(2020, 5, 17, 8, 9, 10, TimeSpan.Zero);

        Timestamp.FromFileTime(when.ToFileTime()).Should().Be(Timestamp.FromDateTimeOffset(when));
        Timestamp.FromDateTimeOffset(when).ToFileTime().Should().Be(when.ToFileTime());
    }

    [Fact]
    public void FromFileTime_BeforeUnixEpoch_Negative()
    {
        var t = Timestamp.FromFileTime(FileTimeOfUnixEpoch - 10_000_000); // one second earlier

        t.Nanoseconds.Should().Be(-1_000_000_000);
        t.Seconds.Should().Be(-1);
    }

    [Fact]
    public void ToFileTime_BeforeEpochWithSubTickNanos_FloorsLikeSeconds()
    {
        // 50 ns before the epoch lies inside the FILETIME tick that starts 100 ns before it, as Seconds floors to -1.
        var t = new Timestamp(-50);

        t.ToFileTime().Should().Be(FileTimeOfUnixEpoch - 1);
        t.ToDateTimeOffset().Should().Be(DateTimeOffset.UnixEpoch.AddTicks(-1));
        t.ToDateTimeOffset().Should().BeBefore(DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void ToFileTime_AfterEpochWithSubTickNanos_Floors() =>
        new Timestamp(150).ToFileTime().Should().Be(FileTimeOfUnixEpoch + 1);

    [Fact]
    public void FromUnix_BeyondYear2262_SaturatesInsteadOfWrapping()
    {
        var year2300 = Timestamp.FromUnix(10_413_792_000, 0); // 2300-01-01, past what 64-bit nanoseconds hold

        year2300.Should().Be(new Timestamp(long.MaxValue));
        year2300.Should().BeGreaterThan(Timestamp.FromUnix(9_000_000_000, 0));
    }

    [Fact]
    public void FromUnix_BeforeYear1677_SaturatesInsteadOfWrapping()
    {
        var year1600 = Timestamp.FromUnix(-11_676_096_000, 0);

        year1600.Should().Be(new Timestamp(long.MinValue));
        year1600.Should().BeLessThan(Timestamp.FromUnix(-9_000_000_000, 0));
    }

    [Fact]
    public void FromDateTimeOffset_Extremes_Saturate()
    {
        Timestamp.FromDateTimeOffset(DateTimeOffset.MaxValue).Should().Be(new Timestamp(long.MaxValue));
        Timestamp.FromDateTimeOffset(DateTimeOffset.MinValue).Should().Be(new Timestamp(long.MinValue));
    }

    [Fact]
    public void FromFileTime_Zero_SaturatesToEarliest()
    {
        // FILETIME 0 is 1601-01-01, before the earliest instant 64-bit nanoseconds since 1970 can hold.
        Timestamp.FromFileTime(0).Should().Be(new Timestamp(long.MinValue));
        Timestamp.FromFileTime(long.MaxValue).Should().Be(new Timestamp(long.MaxValue));
    }

    [Fact]
    public void ToDateTimeOffset_SaturatedValues_NoOverflow()
    {
        var latest = new Timestamp(long.MaxValue);
        var earliest = new Timestamp(long.MinValue);

        latest.ToDateTimeOffset().Year.Should().Be(2262);
        earliest.ToDateTimeOffset().Year.Should().Be(1677);
        latest.ToFileTime().Should().BeGreaterThan(earliest.ToFileTime());
        latest.Seconds.Should().Be(long.MaxValue / 1_000_000_000);
        earliest.Seconds.Should().Be((long.MinValue / 1_000_000_000) - 1);
    }

    [Fact]
    public void Compare_Operators_FollowNanoseconds()
    {
        var early = new Timestamp(5);
        var late = new Timestamp(6);

        (early < late).Should().BeTrue();
        (late > early).Should().BeTrue();
        (early <= new Timestamp(5)).Should().BeTrue();
        (early >= late).Should().BeFalse();
        early.CompareTo(late).Should().BeNegative();
        late.CompareTo(early).Should().BePositive();
        early.CompareTo(new Timestamp(5)).Should().Be(0);
        new[] { late, early }.Order().Should().Equal(early, late);
    }

    [Fact]
    public void ToString_Epoch_Iso8601Utc() =>
        Timestamp.FromUnix(0, 0).ToString().Should().Be("1970-01-01T00:00:00.0000000+00:00");
}
