namespace CacheFs.Nodes;

/// <summary>A point in time with nanosecond resolution, counted from the Unix epoch (UTC).</summary>
public readonly record struct Timestamp(long Nanoseconds) : IComparable<Timestamp>
{
    private const long NanosPerSecond = 1_000_000_000;
    private const long NanosPerTick = 100;

    /// <summary>Seconds since 1601-01-01 to 1970-01-01, in 100 ns units: converts to and from Windows FILETIME.</summary>
    private const long FileTimeEpochDelta = 116_444_736_000_000_000;

    public static Timestamp FromUnix(long seconds, long nanoseconds) => new((seconds * NanosPerSecond) + nanoseconds);

    public static Timestamp FromDateTimeOffset(DateTimeOffset value) =>
        new((value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick);

    public static Timestamp FromFileTime(long fileTime) => new((fileTime - FileTimeEpochDelta) * NanosPerTick);

    public long Seconds => Math.DivRem(Nanoseconds, NanosPerSecond, out var rem) - (rem < 0 ? 1 : 0);

    public long NanosecondPart => ((Nanoseconds % NanosPerSecond) + NanosPerSecond) % NanosPerSecond;

    public long ToFileTime() => (Nanoseconds / NanosPerTick) + FileTimeEpochDelta;

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.UnixEpoch.AddTicks(Nanoseconds / NanosPerTick);

    public int CompareTo(Timestamp other) => Nanoseconds.CompareTo(other.Nanoseconds);

    public static bool operator <(Timestamp left, Timestamp right) => left.Nanoseconds < right.Nanoseconds;

    public static bool operator >(Timestamp left, Timestamp right) => left.Nanoseconds > right.Nanoseconds;

    public static bool operator <=(Timestamp left, Timestamp right) => left.Nanoseconds <= right.Nanoseconds;

    public static bool operator >=(Timestamp left, Timestamp right) => left.Nanoseconds >= right.Nanoseconds;

    public override string ToString() => ToDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
