using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.AgentQueueStats;

public static class Data
{
    /// <summary>Grouping of a result row: a bucket (all queues), a queue (whole range), or the totals.</summary>
    public const int BucketGroup = 1, QueueGroup = 2, TotalsGroup = 3;

    /// <summary>One GROUPING SETS row; <see cref="Grp"/> is PostgreSQL's grouping(bucket, queue_id) bit mask.</summary>
    public sealed record Row : Metrics
    {
        public int Grp { get; init; }
        public int? Bucket { get; init; }
        public long? QueueId { get; init; }
        public string? Name { get; init; }
    }

    private const string Sql = $$"""
        WITH offered AS (
            SELECT width_bucket(i.queued_at, @Bounds) AS bucket, i.queue_id,
                   i.answered_at IS NOT NULL AS answered,
                   i.abandoned_at IS NOT NULL AND i.answered_at IS NULL AS abandoned,
                   extract(epoch FROM i.answered_at - i.queued_at)::float8 AS wait_seconds,
                   -- averages over the exact numeric seconds (what the rollup path's sum ÷ n computes)
                   extract(epoch FROM i.answered_at - i.queued_at) AS wait_exact,
                   extract(epoch FROM i.abandoned_at - i.queued_at) AS abandon_exact,
                   -- each interaction is judged by the request's threshold, else its own queue's (60 s for an unknown queue)
                   coalesce(@ServiceLevelSeconds, q.service_level_seconds, 60) AS threshold_seconds
            FROM interactions i
            LEFT JOIN queues q ON q.provider_id = i.provider_id AND q.queue_id = i.queue_id
            WHERE i.provider_id = @ProviderId
              AND i.queued_at >= @Start AND i.queued_at < @End
              AND {{InteractionFilters.OnInteraction}}
        ),
        grouped AS (
            SELECT grouping(bucket, queue_id) AS grp, bucket, queue_id,
                   -- offered: interactions with queuedAt in the bucket
                   count(*) AS offered,
                   -- answered: offered with answeredAt
                   count(*) FILTER (WHERE answered) AS answered,
                   -- abandoned: offered with abandonedAt and no answeredAt
                   count(*) FILTER (WHERE abandoned) AS abandoned,
                   -- serviceLevel: answered within the threshold (wait ≤ threshold) ÷ offered
                   (count(*) FILTER (WHERE answered AND wait_seconds <= threshold_seconds))::float8 / nullif(count(*), 0) AS service_level,
                   -- abandonRate: abandoned ÷ offered
                   (count(*) FILTER (WHERE abandoned))::float8 / nullif(count(*), 0) AS abandon_rate,
                   -- waitSeconds: answeredAt − queuedAt over answered (exact percentiles)
                   (avg(wait_exact) FILTER (WHERE answered))::float8 AS wait_seconds_avg,
                   max(wait_seconds) FILTER (WHERE answered) AS wait_seconds_max,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_seconds) FILTER (WHERE answered) AS wait_seconds_p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_seconds) FILTER (WHERE answered) AS wait_seconds_p90,
                   -- abandonSeconds: abandonedAt − queuedAt over abandoned
                   (avg(abandon_exact) FILTER (WHERE abandoned))::float8 AS abandon_seconds_avg
            FROM offered
            GROUP BY GROUPING SETS ((bucket), (queue_id), ())
        )
        SELECT g.*, q.name
        FROM grouped g
        LEFT JOIN queues q ON q.provider_id = @ProviderId AND q.queue_id = g.queue_id
        ORDER BY g.grp, g.bucket, g.queue_id NULLS LAST
        """;

    /// <summary>
    /// The same figures with offered/answered/abandoned and the wait/abandon averages of whole 15-minute steps from
    /// queue_rollup_15m (edges raw). serviceLevel's numerator (each interaction against its threshold, which the request
    /// or the queue's current setting gives), waitSeconds max and the exact percentiles read the answered raw rows of the
    /// whole range, index-only through interactions_by_queued.
    /// </summary>
    private const string RollupSql = $$"""
        WITH src AS (
            SELECT i.queued_at AS at, i.queue_id, 1 AS offered,
                   (i.answered_at IS NOT NULL)::int AS answered,
                   (i.abandoned_at IS NOT NULL AND i.answered_at IS NULL)::int AS abandoned,
                   (i.answered_at IS NOT NULL)::int AS wait_n,
                   CASE WHEN i.answered_at IS NOT NULL THEN extract(epoch FROM i.answered_at - i.queued_at) END AS wait_sum,
                   (i.abandoned_at IS NOT NULL AND i.answered_at IS NULL)::int AS abandon_n,
                   CASE WHEN i.abandoned_at IS NOT NULL AND i.answered_at IS NULL THEN extract(epoch FROM i.abandoned_at - i.queued_at) END AS abandon_sum
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND ((i.queued_at >= @Start AND i.queued_at < @RollupStart) OR (i.queued_at >= @RollupEnd AND i.queued_at < @End))
              AND {{InteractionFilters.OnInteraction}}
            UNION ALL
            SELECT r.bucket_start, r.queue_id, r.offered, r.answered, r.abandoned, r.wait_n, r.wait_sum, r.abandon_n, r.abandon_sum
            FROM queue_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
              AND {{InteractionFilters.OnRollup}}
        ),
        counts AS (
            SELECT grouping(bucket, queue_id) AS grp, bucket, queue_id,
                   coalesce(sum(offered), 0)::bigint AS offered, coalesce(sum(answered), 0)::bigint AS answered,
                   coalesce(sum(abandoned), 0)::bigint AS abandoned,
                   sum(wait_sum) / nullif(sum(wait_n), 0) AS wait_avg, sum(abandon_sum) / nullif(sum(abandon_n), 0) AS abandon_avg
            FROM (SELECT width_bucket(at, @Bounds) AS bucket, * FROM src) s
            GROUP BY GROUPING SETS ((bucket), (queue_id), ())
        ),
        answered AS (
            SELECT width_bucket(i.queued_at, @Bounds) AS bucket, i.queue_id,
                   extract(epoch FROM i.answered_at - i.queued_at)::float8 AS wait_seconds,
                   coalesce(@ServiceLevelSeconds, q.service_level_seconds, 60) AS threshold_seconds
            FROM interactions i
            LEFT JOIN queues q ON q.provider_id = i.provider_id AND q.queue_id = i.queue_id
            WHERE i.provider_id = @ProviderId
              AND i.queued_at >= @Start AND i.queued_at < @End AND i.answered_at IS NOT NULL
              AND {{InteractionFilters.OnInteraction}}
        ),
        exact AS (
            SELECT grouping(bucket, queue_id) AS grp, bucket, queue_id,
                   count(*) FILTER (WHERE wait_seconds <= threshold_seconds) AS within,
                   max(wait_seconds) AS wait_seconds_max,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_seconds) AS wait_seconds_p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_seconds) AS wait_seconds_p90
            FROM answered
            GROUP BY GROUPING SETS ((bucket), (queue_id), ())
        )
        SELECT c.grp, c.bucket, c.queue_id, c.offered, c.answered, c.abandoned,
               coalesce(e.within, 0)::float8 / nullif(c.offered, 0) AS service_level,
               c.abandoned::float8 / nullif(c.offered, 0) AS abandon_rate,
               c.wait_avg::float8 AS wait_seconds_avg, e.wait_seconds_max, e.wait_seconds_p50, e.wait_seconds_p90,
               c.abandon_avg::float8 AS abandon_seconds_avg, q.name
        FROM counts c
        LEFT JOIN exact e ON e.grp = c.grp AND e.bucket IS NOT DISTINCT FROM c.bucket AND e.queue_id IS NOT DISTINCT FROM c.queue_id
        LEFT JOIN queues q ON q.provider_id = @ProviderId AND q.queue_id = c.queue_id
        ORDER BY c.grp, c.bucket, c.queue_id NULLS LAST
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(split is null ? Sql : RollupSql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
            r.ServiceLevelSeconds,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
