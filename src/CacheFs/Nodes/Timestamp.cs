namespace CacheFs.Nodes;

/// <summary>A point in time with nanosecond resolution, counted from the Unix epoch (UTC).</summary>
public readonly record struct Timestamp(long Nanoseconds) : IComparable<Timestamp>
{
    private const long NanosPerSecond = 1_000_000_000;
    private const long NanosPerTick = 100;

    /// <summary>Seconds since 1601-01-01 to 1970-01-01, in 100 ns units: converts to and from Windows FILETIME.</summary>
    private const long FileTimeEpochDelta = 116_444_736_000_000_000;

    public static Timestamp FromUnix(long seconds, long nanoseconds) => Saturate(((Int128)seconds * NanosPerSecond) + nanoseconds);

    public static Timestamp FromDateTimeOffset(DateTimeOffset value) =>
        Saturate(((Int128)value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick);

    public static Timestamp FromFileTime(long fileTime) => Saturate(((Int128)fileTime - FileTimeEpochDelta) * NanosPerTick);

    public long Seconds => Math.DivRem(Nanoseconds, NanosPerSecond, out var rem) - (rem < 0 ? 1 : 0);

    public long NanosecondPart => ((Nanoseconds % NanosPerSecond) + NanosPerSecond) % NanosPerSecond;

    public long ToFileTime() => Ticks + FileTimeEpochDelta;

    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.UnixEpoch.AddTicks(Ticks);

    /// <summary>
    /// Nanoseconds since 1970 in 64 bits reach from 1677 to 2262. A time outside (touch -d 2300, FILETIME 0) is clamped
    /// to the nearest end, as the kernel clamps to a file system's range, instead of wrapping to the other century.
    /// </summary>
    private static Timestamp Saturate(Int128 nanoseconds) => new((long)Int128.Clamp(nanoseconds, long.MinValue, long.MaxValue));

    /// <summary>Whole 100 ns ticks since the epoch, floored like <see cref="Seconds"/> so times before 1970 never round later.</summary>
    private long Ticks => Math.DivRem(Nanoseconds, NanosPerTick, out var rem) - (rem < 0 ? 1 : 0);

    public int CompareTo(Timestamp other) => Nanoseconds.CompareTo(other.Nanoseconds);

    public static bool operator <(Timestamp left, Timestamp right) => left.Nanoseconds < right.Nanoseconds;

    public static bool operator >(Timestamp left, Timestamp right) => left.Nanoseconds > right.Nanoseconds;

    public static bool operator <=(Timestamp left, Timestamp right) => left.Nanoseconds <= right.Nanoseconds;

    public static bool operator >=(Timestamp left, Timestamp right) => left.Nanoseconds >= right.Nanoseconds;

    public override string ToString() => ToDateTimeOffset().ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
