using System.Runtime.InteropServices;
using Dapper;
using KoopidDashboard.Infrastructure.Database;
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
    /// The reference statement (the raw path, <c>Rollups:Enabled</c> = false): one pass over the range's queued rows,
    /// index-only through interactions_by_queued (it carries answered_at, abandoned_at, queue_id and the filter columns).
    /// The exact parts (serviceLevel against each interaction's threshold, waitSeconds max and p50/p90) need every answered
    /// row, which are most of the offered ones; queue_rollup_15m keeps about one row per interaction (one per step and
    /// dimension combination), so reading it for the counts as well only added a second scan and a join (docs/performance.md,
    /// "Exact parts"). The service path (<see cref="QueuesAndRowsSql"/>) computes the same figures from the same rows.
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

    /// <summary>
    /// The service path: the provider's queues (name, threshold), then the range's rows streamed index-only through
    /// interactions_by_queued as they are stored; <see cref="Tally"/> computes <see cref="Sql"/>'s figures from them, bit
    /// for bit (<see cref="PostgresArithmetic"/>). In PostgreSQL the three grouping sets' percentile sorts and per-row
    /// intervals and aggregates were most of the statement (10.6 ms at 30 days on the bench tenant, 2.4 ms to read the
    /// rows; 400 days: 157 k rows). <see cref="Sql"/> stays the reference the rollup/raw equivalence test compares with.
    /// </summary>
    private const string QueuesAndRowsSql = $$"""
        SELECT queue_id, name, service_level_seconds FROM queues WHERE provider_id = @ProviderId;
        SELECT width_bucket(i.queued_at, @Bounds) AS bucket, i.queue_id, i.queued_at, i.answered_at, i.abandoned_at
        FROM interactions i
        WHERE i.provider_id = @ProviderId
          AND i.queued_at >= @Start AND i.queued_at < @End
          AND {{InteractionFilters.OnInteraction}}
        """;

    /// <summary>One group's figures over streamed rows, each as <see cref="Sql"/>'s aggregate computes it.</summary>
    private sealed class Tally
    {
        private readonly List<double> waits = [];
        private long offered, answered, abandoned, withinThreshold, waitMicros, abandonMicros;
        private double waitMax = double.NegativeInfinity;

        public void Add(long? waitMicros, long? abandonMicros, int thresholdSeconds)
        {
            offered++;
            if (waitMicros is { } w)
            {
                answered++;
                var seconds = PostgresArithmetic.EpochSeconds(w);
                waits.Add(seconds);
                this.waitMicros += w;
                waitMax = Math.Max(waitMax, seconds);
                if (seconds <= thresholdSeconds)
                    withinThreshold++;
            }
            else if (abandonMicros is { } a)
            {
                abandoned++;
                this.abandonMicros += a;
            }
        }

        public Row ToRow(int grp, int? bucket, long? queueId, string? name = null) => new()
        {
            Grp = grp, Bucket = bucket, QueueId = queueId, Name = name,
            Offered = offered, Answered = answered, Abandoned = abandoned,
            ServiceLevel = offered == 0 ? null : (double)withinThreshold / offered,
            AbandonRate = offered == 0 ? null : (double)abandoned / offered,
            WaitSecondsAvg = answered == 0 ? null : PostgresArithmetic.AverageSeconds(waitMicros, answered),
            WaitSecondsMax = answered == 0 ? null : waitMax,
            WaitSecondsP50 = PostgresArithmetic.PercentileCont(CollectionsMarshal.AsSpan(waits), 0.5),
            WaitSecondsP90 = PostgresArithmetic.PercentileCont(CollectionsMarshal.AsSpan(waits), 0.9),
            AbandonSecondsAvg = abandoned == 0 ? null : PostgresArithmetic.AverageSeconds(abandonMicros, abandoned),
        };
    }

    /// <summary>A queue of the provider (or one the queues table does not know): its group and its interactions' threshold.</summary>
    private sealed record QueueGroupTally(Tally Tally, int ThresholdSeconds, string? Name);

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, bool inService,
        CancellationToken ct)
    {
        var parameters = InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            r.ServiceLevelSeconds,
        });
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!inService)
            return (await connection.QueryAsync<Row>(new CommandDefinition(Sql, parameters, cancellationToken: ct))).AsList();

        // each interaction is judged by the request's threshold, else its own queue's (60 s for an unknown queue)
        var queues = new Dictionary<long, (int? ThresholdSeconds, string? Name)>();
        var perBucket = new Tally?[plan.Bounds.Length];
        // ORDER BY queue_id NULLS LAST: a sorted map, and the interactions queued without a queue id apart
        var perQueue = new SortedDictionary<long, QueueGroupTally>();
        var noQueue = new QueueGroupTally(new Tally(), r.ServiceLevelSeconds ?? 60, null);
        var noQueueSeen = false;
        var total = new Tally();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(QueuesAndRowsSql, parameters, cancellationToken: ct)))
        {
            while (await reader.ReadAsync(ct))
                queues[reader.GetInt64(0)] = (reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.IsDBNull(1) ? null : reader.GetString(1));
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var inBucket = perBucket[reader.GetInt32(0)] ??= new Tally();
                QueueGroupTally inQueue;
                if (reader.IsDBNull(1))
                    (inQueue, noQueueSeen) = (noQueue, true);
                else if (reader.GetInt64(1) is var queueId && !perQueue.TryGetValue(queueId, out inQueue!))
                {
                    var known = queues.TryGetValue(queueId, out var q);
                    perQueue[queueId] = inQueue = new QueueGroupTally(new Tally(), r.ServiceLevelSeconds ?? (known ? q.ThresholdSeconds : null) ?? 60,
                        known ? q.Name : null);
                }
                var queuedAt = reader.GetDateTime(2);
                long? wait = reader.IsDBNull(3) ? null : PostgresArithmetic.Micros(queuedAt, reader.GetDateTime(3));
                long? abandon = reader.IsDBNull(4) ? null : PostgresArithmetic.Micros(queuedAt, reader.GetDateTime(4));
                inBucket.Add(wait, abandon, inQueue.ThresholdSeconds);
                inQueue.Tally.Add(wait, abandon, inQueue.ThresholdSeconds);
                total.Add(wait, abandon, inQueue.ThresholdSeconds);
            }
        }
        // the empty grouping set answers a totals row even over no rows, as in SQL
        return
        [
            .. perBucket.Select((tally, bucket) => tally?.ToRow(BucketGroup, bucket, null)).OfType<Row>(),
            .. perQueue.Select(q => q.Value.Tally.ToRow(QueueGroup, null, q.Key, q.Value.Name)),
            .. noQueueSeen ? [noQueue.Tally.ToRow(QueueGroup, null, null)] : Array.Empty<Row>(),
            total.ToRow(TotalsGroup, null, null),
        ];
    }
}
