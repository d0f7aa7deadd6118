namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// Splits a request's range for the 15-minute rollups (docs/performance.md): the whole 15-minute steps
/// [<see cref="RollupStart"/>, <see cref="RollupEnd"/>) are read from a rollup table, the partial edges
/// [start, RollupStart) and [RollupEnd, end) from the raw rows through their time indexes. A rollup row is assigned to
/// its plan bucket with <c>width_bucket(bucket_start, @Bounds)</c>, which is exact because every interior bound of the
/// plan falls on a 15-minute step (local midnights and whole local hours do in every zone whose offset is a multiple of
/// 15 minutes; a plan with any other bound is read raw). Configuration <c>Rollups:Enabled</c> (default true) = false
/// switches every slice to the raw path.
/// </summary>
public sealed record RollupSplit(DateTime RollupStart, DateTime RollupEnd)
{
    public const string EnabledKey = "Rollups:Enabled";
    private static readonly long Step = TimeSpan.FromMinutes(15).Ticks;

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
        return new RollupSplit(from, to);
    }
}
