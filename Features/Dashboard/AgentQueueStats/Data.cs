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

    /// <summary>
    /// One pass over the range's queued rows, index-only through interactions_by_queued (it carries answered_at,
    /// abandoned_at, queue_id and the filter columns), on both paths. The exact parts (serviceLevel against each
    /// interaction's threshold, waitSeconds max and p50/p90) need every answered row, which are most of the offered ones;
    /// queue_rollup_15m keeps about one row per interaction (one per step and dimension combination), so reading it for
    /// the counts as well only added a second scan and a join (docs/performance.md, "Exact parts").
    /// </summary>
    private const string Sql = $$"""
        WITH offered AS (
            SELECT width_bucket(i.queued_at, @Bounds) AS bucket, i.queue_id,
                   i.answered_at IS NOT NULL AS answered,
                   i.abandoned_at IS NOT NULL AND i.answered_at IS NULL AS abandoned,
                   -- float8 seconds straight from the interval (extract() would build a numeric per row, then cast it):
                   -- the same bits for waits under a day, within one ulp beyond
                   date_part('epoch', i.answered_at - i.queued_at) AS wait_seconds,
                   -- averages from interval sums: exact, and the same numeric as avg() over per-row extract(epoch …), which
                   -- is what Summary's queue rollup sums divide (per row only an integer add instead of a numeric one)
                   i.answered_at - i.queued_at AS wait_interval,
                   i.abandoned_at - i.queued_at AS abandon_interval,
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
                   (extract(epoch FROM sum(wait_interval) FILTER (WHERE answered)) / nullif(count(*) FILTER (WHERE answered), 0))::float8 AS wait_seconds_avg,
                   max(wait_seconds) FILTER (WHERE answered) AS wait_seconds_max,
                   -- p50 and p90 from one sort per group (the same values as two percentile_cont calls)
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY wait_seconds) FILTER (WHERE answered) AS wait_p,
                   -- abandonSeconds: abandonedAt − queuedAt over abandoned
                   (extract(epoch FROM sum(abandon_interval) FILTER (WHERE abandoned)) / nullif(count(*) FILTER (WHERE abandoned), 0))::float8 AS abandon_seconds_avg
            FROM offered
            GROUP BY GROUPING SETS ((bucket), (queue_id), ())
        )
        SELECT g.grp, g.bucket, g.queue_id, g.offered, g.answered, g.abandoned, g.service_level, g.abandon_rate,
               g.wait_seconds_avg, g.wait_seconds_max, g.wait_p[1] AS wait_seconds_p50, g.wait_p[2] AS wait_seconds_p90,
               g.abandon_seconds_avg, q.name
        FROM grouped g
        LEFT JOIN queues q ON q.provider_id = @ProviderId AND q.queue_id = g.queue_id
        ORDER BY g.grp, g.bucket, g.queue_id NULLS LAST
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            r.ServiceLevelSeconds,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
