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
                   extract(epoch FROM s.ended_at - s.started_at)::float8 AS duration_seconds -- null until it ends
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
                   avg(duration_seconds) AS duration_seconds_avg,
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

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            BotIds = r.BotId ?? [],
        }, cancellationToken: ct));
        return rows.AsList();
    }
}
