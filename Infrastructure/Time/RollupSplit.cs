namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// Splits a request's range for the 15-minute rollups (docs/performance.md): the whole 15-minute steps
/// [<see cref="RollupStart"/>, <see cref="RollupEnd"/>) are read from a rollup table, the partial edges
/// [start, RollupStart) and [RollupEnd, end) from the raw rows through their time indexes. A rollup row is assigned to
/// its plan bucket with <c>width_bucket(bucket_start, @Bounds)</c>, which is exact because every interior bound of the
/// plan falls on a 15-minute step (local midnights and whole local hours do in every zone whose offset is a multiple of
/// 15 minutes; a plan with any other bound is read raw). Configuration <c>Rollups:Enabled</c> (default true) = false
/// switches every slice to the raw path.
/// The coarse tier: [<see cref="HourStart"/>, <see cref="HourEnd"/>) is the whole UTC hours inside the rollup range, set
/// only when every interior plan bound is a whole UTC hour too (days, weeks, months, hours in a whole-hour-offset zone;
/// not Kolkata's +05:30 days, not PT15M), so an hourly rollup row also lands whole in its plan bucket. A slice whose
/// filters are all on the hourly rollup's dimensions reads [RollupStart, HourStart) ∪ [HourEnd, RollupEnd) from the
/// 15-minute rollup and the hours from the hourly one; null = no whole hour, read the 15-minute rollup alone.
/// </summary>
public sealed record RollupSplit(DateTime RollupStart, DateTime RollupEnd, DateTime? HourStart = null, DateTime? HourEnd = null)
{
    public const string EnabledKey = "Rollups:Enabled";
    private static readonly long Step = TimeSpan.FromMinutes(15).Ticks;
    private static readonly long Hour = TimeSpan.TicksPerHour;

    /// <summary>
    /// The hour range a slice passes as @HourStart/@HourEnd: the split's whole hours when the coarse tier may answer
    /// (<paramref name="coarse"/>: the request's filters fit the hourly table), else the empty range [RollupEnd, RollupEnd),
    /// so one SQL text serves both — the 15-minute rollup then covers all of [RollupStart, RollupEnd).
    /// </summary>
    public static (DateTime? Start, DateTime? End) HoursFor(RollupSplit? split, bool coarse) =>
        coarse && split is { HasHours: true } ? (split.HourStart, split.HourEnd) : (split?.RollupEnd, split?.RollupEnd);

    /// <summary>True when the coarse (hourly) tier can answer [HourStart, HourEnd).</summary>
    public bool HasHours => HourStart is not null;

    /// <summary>The split, or null when the raw path answers (rollups off, no whole 15-minute step, unaligned bounds).</summary>
    public static RollupSplit? For(BucketPlan plan, IConfiguration configuration)
    {
        if (!configuration.GetValue(EnabledKey, true))
            return null;
        var from = new DateTime((plan.Start.Ticks + Step - 1) / Step * Step, DateTimeKind.Utc);
        var to = new DateTime(plan.End.Ticks / Step * Step, DateTimeKind.Utc);
        if (from >= to)
            return null;
        for (var i = 1; i < plan.Bounds.Length - 1; i++)
            if (plan.Bounds[i].Ticks % Step != 0)
                return null;
        var hourFrom = new DateTime((from.Ticks + Hour - 1) / Hour * Hour, DateTimeKind.Utc);
        var hourTo = new DateTime(to.Ticks / Hour * Hour, DateTimeKind.Utc);
        var hourly = hourFrom < hourTo;
        for (var i = 1; hourly && i < plan.Bounds.Length - 1; i++)
            hourly = plan.Bounds[i].Ticks % Hour == 0;
        return hourly ? new RollupSplit(from, to, hourFrom, hourTo) : new RollupSplit(from, to);
    }
}
