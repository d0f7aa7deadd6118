using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Interactions;

public static class Data
{
    /// <summary>A bucket's figures; <c>bucket</c> is the width_bucket number, NULL on the totals row (GROUPING SETS).</summary>
    public sealed record Row : Metrics
    {
        public int? Bucket { get; init; }
    }

    private const string Sql = $$"""
        SELECT width_bucket(i.started_at, @Bounds) AS bucket,
               count(*) AS started,
               -- answered: an agent accepted (answeredAt)
               count(*) FILTER (WHERE i.answered_at IS NOT NULL) AS answered,
               -- botOnly: a bot handled it and it never reached a queue
               count(*) FILTER (WHERE i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL) AS bot_only,
               -- abandoned: left the queue unanswered
               count(*) FILTER (WHERE i.abandoned_at IS NOT NULL AND i.answered_at IS NULL) AS abandoned,
               -- waitSeconds: answeredAt − queuedAt over answered
               (avg(extract(epoch FROM i.answered_at - i.queued_at)) FILTER (WHERE i.answered_at IS NOT NULL AND i.queued_at IS NOT NULL))::float8 AS wait_seconds_avg,
               -- handleSeconds: endedAt − answeredAt over answered interactions that ended
               (avg(extract(epoch FROM i.ended_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL AND i.ended_at IS NOT NULL))::float8 AS handle_seconds_avg,
               -- durationSeconds: endedAt − startedAt over ended interactions
               (avg(extract(epoch FROM i.ended_at - i.started_at)) FILTER (WHERE i.ended_at IS NOT NULL))::float8 AS duration_seconds_avg
        FROM interactions i
        WHERE i.provider_id = @ProviderId
          AND i.started_at >= @Start AND i.started_at < @End
          AND {{InteractionFilters.OnInteraction}}
        GROUP BY GROUPING SETS ((1), ())
        """;

    /// <summary>The partial edges [Start, RollupStart) and [RollupEnd, End) as rollup-shaped rows from the raw rows.</summary>
    private const string Edges = $$"""
            SELECT i.started_at AS at, 1 AS started,
                   (i.answered_at IS NOT NULL)::int AS answered,
                   (i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL)::int AS bot_only,
                   (i.abandoned_at IS NOT NULL AND i.answered_at IS NULL)::int AS abandoned,
                   (i.answered_at IS NOT NULL AND i.queued_at IS NOT NULL)::int AS wait_n,
                   CASE WHEN i.answered_at IS NOT NULL AND i.queued_at IS NOT NULL THEN extract(epoch FROM i.answered_at - i.queued_at) END AS wait_sum,
                   (i.answered_at IS NOT NULL AND i.ended_at IS NOT NULL)::int AS handle_n,
                   CASE WHEN i.answered_at IS NOT NULL AND i.ended_at IS NOT NULL THEN extract(epoch FROM i.ended_at - i.answered_at) END AS handle_sum,
                   (i.ended_at IS NOT NULL)::int AS duration_n,
                   CASE WHEN i.ended_at IS NOT NULL THEN extract(epoch FROM i.ended_at - i.started_at) END AS duration_sum
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND ((i.started_at >= @Start AND i.started_at < @RollupStart) OR (i.started_at >= @RollupEnd AND i.started_at < @End))
              AND {{InteractionFilters.OnInteraction}}
        """;

    /// <summary>The measures of a rollup row aliased <c>r</c> (interaction_rollup_15m and interaction_rollup_1h alike).</summary>
    private const string RollupColumns = """
        r.bucket_start, r.interactions, r.answered, r.bot_only, r.abandoned,
                   r.wait_n, r.wait_sum, r.handle_n, r.handle_sum, r.duration_n, r.duration_sum
        """;

    /// <summary>Counts are sums of counts, averages sum of seconds ÷ sample count (numeric, exactly avg() over the raw rows).</summary>
    private const string Aggregate = """
        SELECT width_bucket(at, @Bounds) AS bucket,
               coalesce(sum(started), 0)::bigint AS started,
               coalesce(sum(answered), 0)::bigint AS answered,
               coalesce(sum(bot_only), 0)::bigint AS bot_only,
               coalesce(sum(abandoned), 0)::bigint AS abandoned,
               (sum(wait_sum) / nullif(sum(wait_n), 0))::float8 AS wait_seconds_avg,
               (sum(handle_sum) / nullif(sum(handle_n), 0))::float8 AS handle_seconds_avg,
               (sum(duration_sum) / nullif(sum(duration_n), 0))::float8 AS duration_seconds_avg
        FROM src
        GROUP BY GROUPING SETS ((1), ())
        """;

    /// <summary>
    /// The rollup path (<see cref="RollupSplit"/>): whole UTC hours [HourStart, HourEnd) from an hourly rollup (the
    /// coarse tier, when the filters allow; else an empty range, <see cref="RollupSplit.HoursFor"/>), the other whole
    /// 15-minute steps from interaction_rollup_15m, the partial edges raw. Exact: every plan bound is a whole UTC hour when
    /// the tier answers, so an hour row lands whole in its bucket. <paramref name="hourly"/> is interaction_rollup_1h (by
    /// type, <paramref name="typeFilter"/> applies) or interaction_rollup_1h_total (no filter at all: a row per hour).
    /// </summary>
    private static string HourlySql(string hourly, string typeFilter) => $$"""
        WITH src AS (
        {{Edges}}
            UNION ALL
            SELECT {{RollupColumns}}
            FROM interaction_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND ((r.bucket_start >= @RollupStart AND r.bucket_start < @HourStart) OR (r.bucket_start >= @HourEnd AND r.bucket_start < @RollupEnd))
              AND {{InteractionFilters.OnRollup}}
            UNION ALL
            SELECT {{RollupColumns}}
            FROM {{hourly}} r
            WHERE r.provider_id = @ProviderId
              AND r.bucket_start >= @HourStart AND r.bucket_start < @HourEnd
              AND {{typeFilter}}
        )
        {{Aggregate}}
        """;

    private static readonly string ByTypeSql = HourlySql("interaction_rollup_1h", InteractionFilters.OnHourlyRollup);
    private static readonly string TotalSql = HourlySql("interaction_rollup_1h_total", "true");

    /// <summary>Raw; with any filter the by-type table (its hours empty unless only the type is filtered); none: hourly totals.</summary>
    private static string SqlFor(Request r, RollupSplit? split) =>
        split is null ? Sql : InteractionFilters.Any(r) ? ByTypeSql : TotalSql;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        var (hourStart, hourEnd) = RollupSplit.HoursFor(split, InteractionFilters.FitHourly(r));
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(SqlFor(r, split), InteractionFilters.With(r, new
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
