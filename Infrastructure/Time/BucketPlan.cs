namespace KoopidDashboard.Infrastructure.Time;

/// <summary>One bucket, half-open <c>[Start, End)</c>, in UTC.</summary>
public readonly record struct TimeBucket(DateTime Start, DateTime End)
{
    public long StartMs => Epoch.ToMs(Start);
    public long EndMs => Epoch.ToMs(End);
    public double Seconds => (End - Start).TotalSeconds;
}

/// <summary>
/// The buckets of one request, computed once (SPEC §3): they cover <c>[start, end)</c> exactly, only the first and
/// last may be partial. SQL receives <see cref="Bounds"/> (n+1 instants) and assigns rows with
/// <c>width_bucket(ts, @Bounds)</c>, so every slice buckets the same way.
/// </summary>
public sealed class BucketPlan
{
    public DateTime Start { get; }
    public DateTime End { get; }
    public BucketInterval Interval { get; }
    public TimeZoneInfo Zone { get; }
    public IReadOnlyList<TimeBucket> Buckets { get; }

    /// <summary>Start of every bucket followed by the range end: bucket i (1-based, as width_bucket numbers them) is [Bounds[i-1], Bounds[i]).</summary>
    public DateTime[] Bounds { get; }

    public long StartMs => Epoch.ToMs(Start);
    public long EndMs => Epoch.ToMs(End);

    /// <summary>
    /// PostgreSQL's <c>width_bucket(at, bounds)</c> for ascending bounds: the number of bounds ≤ <paramref name="at"/>, so
    /// bucket i (1-based) is [bounds[i−1], bounds[i]), 0 before the first bound and bounds.Length from the last on. For
    /// slices that bucket streamed rows in the service.
    /// </summary>
    public static int WidthBucket(DateTime[] bounds, DateTime at)
    {
        var k = Array.BinarySearch(bounds, at);
        return k >= 0 ? k + 1 : ~k;
    }

    private BucketPlan(DateTime start, DateTime end, BucketInterval interval, TimeZoneInfo zone, List<DateTime> bounds)
    {
        Start = start;
        End = end;
        Interval = interval;
        Zone = zone;
        Bounds = bounds.ToArray();
        Buckets = Enumerable.Range(0, bounds.Count - 1).Select(i => new TimeBucket(bounds[i], bounds[i + 1])).ToList();
    }

    /// <summary>Builds the plan; <paramref name="start"/> &lt; <paramref name="end"/> and the limits are checked by <see cref="RangeLimits"/> first.</summary>
    public static BucketPlan Create(DateTime start, DateTime end, BucketInterval interval, TimeZoneInfo zone)
    {
        start = DateTime.SpecifyKind(start, DateTimeKind.Utc);
        end = DateTime.SpecifyKind(end, DateTimeKind.Utc);
        var bounds = new List<DateTime> { start };
        foreach (var boundary in Boundaries(start, interval, zone))
        {
            if (boundary >= end)
                break;
            if (boundary > start)
                bounds.Add(boundary);
        }
        bounds.Add(end);
        return new BucketPlan(start, end, interval, zone, bounds);
    }

    /// <summary>Bucket boundaries from the local midnight of the start's local date onwards (an endless sequence).</summary>
    private static IEnumerable<DateTime> Boundaries(DateTime start, BucketInterval interval, TimeZoneInfo zone)
    {
        if (interval == BucketInterval.Total)
            yield break;

        var localStartDate = TimeZones.ToLocal(start, zone).Date;
        if (interval.FixedStep is { } step)
        {
            // Fixed steps in absolute time from local midnight: hours stay local hours (also in +05:30 zones), and a
            // daylight-saving day simply has 23 or 25 of them.
            var anchor = TimeZones.ToUtc(localStartDate, zone);
            for (var t = anchor; ; t += step)
                yield return t;
        }

        var first = interval == BucketInterval.Week
            ? localStartDate.AddDays(-(((int)localStartDate.DayOfWeek + 6) % 7)) // ISO weeks start on Monday
            : interval == BucketInterval.Month ? new DateTime(localStartDate.Year, localStartDate.Month, 1) : localStartDate;
        for (var local = first; ; local = Next(local, interval))
            yield return TimeZones.ToUtc(local, zone);
    }

    private static DateTime Next(DateTime local, BucketInterval interval) =>
        interval == BucketInterval.Week ? local.AddDays(7)
        : interval == BucketInterval.Month ? local.AddMonths(1)
        : local.AddDays(1);
}

public static class Epoch
{
    public static long ToMs(DateTime utc) => (long)(DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalMilliseconds;

    public static DateTime FromMs(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    /// <summary>Largest epoch ms accepted: 9999-12-31, the end of what .NET and PostgreSQL share.</summary>
    public const long MaxMs = 253_402_214_400_000 - 1;
}
