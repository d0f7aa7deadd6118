using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.BotAccessStats;

public static class Data
{
    /// <summary>Grouping of a result row: a bucket (all bots), a bot (whole range), or the totals.</summary>
    public const int BucketGroup = 1, BotGroup = 2, TotalsGroup = 3;

    /// <summary>One GROUPING SETS row; <see cref="Grp"/> is PostgreSQL's grouping(bucket, bot_id) bit mask.</summary>
    public sealed record Row : Metrics
    {
        public int Grp { get; init; }
        public int? Bucket { get; init; }
        public long? BotId { get; init; }
        public string? Name { get; init; }
    }

    private const string Sql = """
        WITH started AS (
            SELECT width_bucket(s.started_at, @Bounds) AS bucket, s.bot_id, s.outcome, s.turns,
                   extract(epoch FROM s.ended_at - s.started_at) AS duration_seconds -- null until it ends; numeric, so avg is exact
            FROM bot_sessions s
            WHERE s.provider_id = @ProviderId
              AND s.started_at >= @Start AND s.started_at < @End
              AND (cardinality(@BotIds) = 0 OR s.bot_id = ANY(@BotIds))
        ),
        grouped AS (
            SELECT grouping(bucket, bot_id) AS grp, bucket, bot_id,
                   -- sessions: bot sessions with startedAt in the bucket
                   count(*) AS sessions,
                   -- botContained: outcome contained (no agent needed)
                   count(*) FILTER (WHERE outcome = 'contained') AS contained,
                   count(*) FILTER (WHERE outcome = 'escalated') AS escalated,
                   count(*) FILTER (WHERE outcome = 'abandoned') AS abandoned,
                   -- containmentRate: contained ÷ bot sessions
                   (count(*) FILTER (WHERE outcome = 'contained'))::float8 / nullif(count(*), 0) AS containment_rate,
                   -- durationSeconds: endedAt − startedAt over ended sessions
                   avg(duration_seconds)::float8 AS duration_seconds_avg,
                   -- turns: average over sessions that report them
                   avg(turns)::float8 AS turns_avg
            FROM started
            GROUP BY GROUPING SETS ((bucket), (bot_id), ())
        )
        SELECT g.*, b.name
        FROM grouped g
        LEFT JOIN bots b ON b.provider_id = @ProviderId AND b.bot_id = g.bot_id
        ORDER BY g.grp, g.bucket, g.bot_id
        """;

    /// <summary>
    /// The same figures with whole 15-minute steps from bot_session_rollup_15m and the partial edges from the raw rows
    /// (<see cref="RollupSplit"/>): counts are sums of counts, averages sums ÷ sample counts (numeric, exactly avg()).
    /// </summary>
    private const string RollupSql = """
        WITH src AS (
            SELECT s.started_at AS at, s.bot_id, 1 AS sessions,
                   (s.outcome = 'contained')::int AS contained,
                   (s.outcome = 'escalated')::int AS escalated,
                   (s.outcome = 'abandoned')::int AS abandoned,
                   (s.ended_at IS NOT NULL)::int AS duration_n,
                   extract(epoch FROM s.ended_at - s.started_at) AS duration_sum,
                   (s.turns IS NOT NULL)::int AS turns_n,
                   s.turns::bigint AS turns_sum
            FROM bot_sessions s
            WHERE s.provider_id = @ProviderId
              AND ((s.started_at >= @Start AND s.started_at < @RollupStart) OR (s.started_at >= @RollupEnd AND s.started_at < @End))
              AND (cardinality(@BotIds) = 0 OR s.bot_id = ANY(@BotIds))
            UNION ALL
            SELECT r.bucket_start, r.bot_id, r.sessions, r.contained, r.escalated, r.abandoned, r.duration_n, r.duration_sum, r.turns_n, r.turns_sum
            FROM bot_session_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
              AND (cardinality(@BotIds) = 0 OR r.bot_id = ANY(@BotIds))
        ),
        grouped AS (
            SELECT grouping(bucket, bot_id) AS grp, bucket, bot_id,
                   coalesce(sum(sessions), 0)::bigint AS sessions,
                   coalesce(sum(contained), 0)::bigint AS contained,
                   coalesce(sum(escalated), 0)::bigint AS escalated,
                   coalesce(sum(abandoned), 0)::bigint AS abandoned,
                   coalesce(sum(contained), 0)::bigint::float8 / nullif(coalesce(sum(sessions), 0)::bigint, 0) AS containment_rate,
                   (sum(duration_sum) / nullif(sum(duration_n), 0))::float8 AS duration_seconds_avg,
                   (sum(turns_sum) / nullif(sum(turns_n), 0))::float8 AS turns_avg
            FROM (SELECT width_bucket(at, @Bounds) AS bucket, * FROM src) x
            GROUP BY GROUPING SETS ((bucket), (bot_id), ())
        )
        SELECT g.*, b.name
        FROM grouped g
        LEFT JOIN bots b ON b.provider_id = @ProviderId AND b.bot_id = g.bot_id
        ORDER BY g.grp, g.bucket, g.bot_id
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(split is null ? Sql : RollupSql, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
            BotIds = r.BotId ?? [],
        }, cancellationToken: ct));
        return rows.AsList();
    }
}
