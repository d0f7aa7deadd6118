using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.InteractionType;

public static class Data
{
    /// <summary>
    /// One GROUPING SETS row: (bucket, type) per bucket and type, (bucket) per bucket, (type) per type over the range,
    /// () the range. A NULL bucket or type means "all" (neither column is ever NULL in the data).
    /// </summary>
    public sealed record Figures
    {
        public int? Bucket { get; init; }
        public string? InteractionType { get; init; }
        public long Interactions { get; init; }
        public double? DurationSecondsAvg { get; init; }
    }

    private const string Sql = $$"""
        SELECT width_bucket(i.started_at, @Bounds) AS bucket,
               i.interaction_type,
               -- interactions: interactions whose startedAt falls in the bucket (SPEC §4 attribution)
               count(*) AS interactions,
               -- durationSeconds: endedAt − startedAt over ended interactions (SPEC §4)
               (avg(extract(epoch FROM i.ended_at - i.started_at)) FILTER (WHERE i.ended_at IS NOT NULL))::float8 AS duration_seconds_avg
        FROM interactions i
        WHERE i.provider_id = @ProviderId
          AND i.started_at >= @Start AND i.started_at < @End
          AND {{InteractionFilters.OnInteraction}}
        GROUP BY GROUPING SETS ((1, 2), (1), (2), ())
        """;

    /// <summary>The partial edges [Start, RollupStart) and [RollupEnd, End) as rollup-shaped rows from the raw rows.</summary>
    private const string Edges = $$"""
            SELECT i.started_at AS at, i.interaction_type, 1 AS interactions,
                   (i.ended_at IS NOT NULL)::int AS duration_n,
                   CASE WHEN i.ended_at IS NOT NULL THEN extract(epoch FROM i.ended_at - i.started_at) END AS duration_sum
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND ((i.started_at >= @Start AND i.started_at < @RollupStart) OR (i.started_at >= @RollupEnd AND i.started_at < @End))
              AND {{InteractionFilters.OnInteraction}}
        """;

    /// <summary>
    /// The average is sum of seconds ÷ sample count, exactly avg() over the raw rows. The source rows are first summed per
    /// bucket and type, so the four grouping sets add a few hundred partial sums instead of every row four times (numeric
    /// addition is exact: the same sums, the same scale).
    /// </summary>
    private const string Aggregate = """
        , per_bucket_type AS (
            SELECT width_bucket(at, @Bounds) AS bucket, interaction_type,
                   sum(interactions) AS interactions, sum(duration_n) AS duration_n, sum(duration_sum) AS duration_sum
            FROM src
            GROUP BY 1, 2
        )
        SELECT bucket,
               interaction_type,
               coalesce(sum(interactions), 0)::bigint AS interactions,
               (sum(duration_sum) / nullif(sum(duration_n), 0))::float8 AS duration_seconds_avg
        FROM per_bucket_type
        GROUP BY GROUPING SETS ((1, 2), (1), (2), ())
        """;

    /// <summary>
    /// The rollup path (<see cref="RollupSplit"/>): whole UTC hours [HourStart, HourEnd) from interaction_rollup_1h (the
    /// coarse tier, when no filter but the type is given; else an empty range, <see cref="RollupSplit.HoursFor"/>), the
    /// other whole 15-minute steps from interaction_rollup_15m, the partial edges raw. Exact: every plan bound is a whole
    /// UTC hour when the tier answers, so an hour row lands whole in its bucket.
    /// </summary>
    private const string RollupSql = $$"""
        WITH src AS (
        {{Edges}}
            UNION ALL
            SELECT r.bucket_start, r.interaction_type, r.interactions, r.duration_n, r.duration_sum
            FROM interaction_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND ((r.bucket_start >= @RollupStart AND r.bucket_start < @HourStart) OR (r.bucket_start >= @HourEnd AND r.bucket_start < @RollupEnd))
              AND {{InteractionFilters.OnRollup}}
            UNION ALL
            SELECT r.bucket_start, r.interaction_type, r.interactions, r.duration_n, r.duration_sum
            FROM interaction_rollup_1h r
            WHERE r.provider_id = @ProviderId
              AND r.bucket_start >= @HourStart AND r.bucket_start < @HourEnd
              AND {{InteractionFilters.OnHourlyRollup}}
        )
        {{Aggregate}}
        """;

    public static async Task<IReadOnlyList<Figures>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var (hourStart, hourEnd) = RollupSplit.HoursFor(split, InteractionFilters.FitHourly(r));
        var rows = await connection.QueryAsync<Figures>(new CommandDefinition(split is null ? Sql : RollupSql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            HourStart = hourStart,
            HourEnd = hourEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
