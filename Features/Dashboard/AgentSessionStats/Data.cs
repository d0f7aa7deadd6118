using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.AgentSessionStats;

public static class Data
{
    /// <summary>Grouping of a result row: a bucket (all agents), an agent (whole range), or the totals.</summary>
    public const int BucketGroup = 1, AgentGroup = 2, TotalsGroup = 3;

    /// <summary>One GROUPING SETS row; <see cref="Grp"/> is PostgreSQL's grouping(bucket, agent_id) bit mask.</summary>
    public sealed record Row : Metrics
    {
        public int Grp { get; init; }
        public int? Bucket { get; init; }
        public long? AgentId { get; init; }
        public string? Name { get; init; }
    }

    private const string Sql = """
        WITH buckets AS (
            SELECT n AS bucket, (@Bounds)[n] AS lo, (@Bounds)[n + 1] AS hi
            FROM generate_series(1, cardinality(@Bounds) - 1) AS n
        ),
        handled AS (
            -- an agent's answered interactions, attributed to answeredAt (when the agent's work starts)
            SELECT width_bucket(i.answered_at, @Bounds) AS bucket, i.agent_id,
                   extract(epoch FROM i.ended_at - i.answered_at)::float8 AS handle_seconds,             -- null until it ends
                   extract(epoch FROM fr.first_sent_at - i.answered_at)::float8 AS first_response_seconds -- null without an agent message
            FROM interactions i
            LEFT JOIN LATERAL (
                SELECT min(m.sent_at) AS first_sent_at
                FROM messages m
                WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id AND m.sender_type = 'agent'
            ) fr ON true
            WHERE i.provider_id = @ProviderId
              AND i.answered_at >= @Start AND i.answered_at < @End
              AND i.agent_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR i.agent_id = ANY(@AgentIds))
              AND (cardinality(@Channels) = 0 OR i.channel = ANY(@Channels))
              AND (cardinality(@InteractionTypes) = 0 OR i.interaction_type = ANY(@InteractionTypes))
              AND (cardinality(@QueueIds) = 0 OR i.queue_id = ANY(@QueueIds))
              AND (cardinality(@BotIds) = 0 OR i.bot_id = ANY(@BotIds))
        ),
        sent AS (
            -- agent messages, attributed to sentAt and to their sender
            SELECT width_bucket(m.sent_at, @Bounds) AS bucket, m.sender_id AS agent_id
            FROM messages m
            LEFT JOIN interactions i ON i.provider_id = m.provider_id AND i.interaction_id = m.interaction_id
            WHERE m.provider_id = @ProviderId
              AND m.sent_at >= @Start AND m.sent_at < @End
              AND m.sender_type = 'agent' AND m.sender_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR m.sender_id = ANY(@AgentIds))
              AND (cardinality(@Channels) = 0 OR i.channel = ANY(@Channels))
              AND (cardinality(@InteractionTypes) = 0 OR i.interaction_type = ANY(@InteractionTypes))
              AND (cardinality(@QueueIds) = 0 OR i.queue_id = ANY(@QueueIds))
              AND (cardinality(@BotIds) = 0 OR i.bot_id = ANY(@BotIds))
        ),
        logged AS (
            -- session overlap with each bucket; an open session runs up to now (bucket ends clip it to the range end)
            SELECT b.bucket, s.agent_id,
                   extract(epoch FROM least(coalesce(s.logout_at, @Now), b.hi) - greatest(s.login_at, b.lo))::float8 AS seconds
            FROM agent_sessions s
            JOIN buckets b ON s.login_at < b.hi AND coalesce(s.logout_at, @Now) > b.lo
            WHERE s.provider_id = @ProviderId
              AND s.login_at < @End AND (s.logout_at IS NULL OR s.logout_at > @Start)
              AND (cardinality(@AgentIds) = 0 OR s.agent_id = ANY(@AgentIds))
        ),
        facts AS (
            SELECT bucket, agent_id, true AS is_handled, false AS is_sent, handle_seconds, first_response_seconds, NULL::float8 AS logged_seconds FROM handled
            UNION ALL
            SELECT bucket, agent_id, false, true, NULL, NULL, NULL FROM sent
            UNION ALL
            SELECT bucket, agent_id, false, false, NULL, NULL, seconds FROM logged WHERE seconds > 0
        ),
        grouped AS (
            SELECT grouping(bucket, agent_id) AS grp, bucket, agent_id,
                   -- handled: answered interactions (answeredAt in the bucket)
                   count(*) FILTER (WHERE is_handled) AS handled,
                   -- handleSeconds: endedAt − answeredAt over answered interactions that ended (nulls are skipped)
                   avg(handle_seconds) AS handle_seconds_avg,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY handle_seconds) AS handle_seconds_p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY handle_seconds) AS handle_seconds_p90,
                   -- firstResponseSeconds: first agent message sentAt − answeredAt over answered interactions with an agent message
                   avg(first_response_seconds) AS first_response_seconds_avg,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_seconds) AS first_response_seconds_p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_seconds) AS first_response_seconds_p90,
                   -- messagesSent: agent messages by sentAt
                   count(*) FILTER (WHERE is_sent) AS messages_sent,
                   -- loggedInSeconds: sum of agent-session overlap with the bucket
                   coalesce(sum(logged_seconds), 0)::float8 AS logged_in_seconds,
                   -- occupancy: handle seconds of interactions answered in the bucket ÷ loggedInSeconds (null when not logged in)
                   coalesce(sum(handle_seconds), 0) / nullif(sum(logged_seconds), 0) AS occupancy
            FROM facts
            GROUP BY GROUPING SETS ((bucket), (agent_id), ())
        )
        SELECT g.*, a.name
        FROM grouped g
        LEFT JOIN agents a ON a.provider_id = @ProviderId AND a.agent_id = g.agent_id
        ORDER BY g.grp, g.bucket, g.agent_id
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, DateTime now, Request r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            Now = now,
            Channels = r.Channel ?? [],
            InteractionTypes = r.InteractionType ?? [],
            QueueIds = r.QueueId ?? [],
            AgentIds = r.AgentId ?? [],
            BotIds = r.BotId ?? [],
        }, cancellationToken: ct));
        return rows.AsList();
    }
}
