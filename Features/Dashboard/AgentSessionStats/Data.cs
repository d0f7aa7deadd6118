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

    /// <summary>SPEC filters on an interaction <c>i</c> other than agentId (which narrows by the agent, answering or sending).</summary>
    private const string InteractionPredicates = """
        (cardinality(@Channels) = 0 OR i.channel = ANY(@Channels))
                  AND (cardinality(@InteractionTypes) = 0 OR i.interaction_type = ANY(@InteractionTypes))
                  AND (cardinality(@QueueIds) = 0 OR i.queue_id = ANY(@QueueIds))
                  AND (cardinality(@BotIds) = 0 OR i.bot_id = ANY(@BotIds))
        """;

    /// <summary>The handled interactions, with <c>fr.first_sent_at</c> joined by the caller's FROM clause part.</summary>
    private static string Handled(string firstResponseJoin) => $$"""
        handled AS (
            -- an agent's answered interactions, attributed to answeredAt (when the agent's work starts)
            SELECT width_bucket(i.answered_at, @Bounds) AS bucket, i.agent_id,
                   -- seconds as exact numeric for sums and averages (order-independent, so every plan gives the same
                   -- float8), as float8 for the percentiles
                   extract(epoch FROM i.ended_at - i.answered_at) AS handle_exact,                       -- null until it ends
                   extract(epoch FROM i.ended_at - i.answered_at)::float8 AS handle_seconds,
                   extract(epoch FROM fr.first_sent_at - i.answered_at) AS first_response_exact,         -- null without an agent message
                   extract(epoch FROM fr.first_sent_at - i.answered_at)::float8 AS first_response_seconds
            FROM interactions i
            {{firstResponseJoin}}
            WHERE i.provider_id = @ProviderId
              AND i.answered_at >= @Start AND i.answered_at < @End
              AND i.agent_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR i.agent_id = ANY(@AgentIds))
              AND {{InteractionPredicates}}
        ),
        """;

    /// <summary>Raw path: the first agent message by min() over the interaction's messages.</summary>
    private const string FirstResponseLateral = """
        LEFT JOIN LATERAL (
                SELECT min(m.sent_at) AS first_sent_at
                FROM messages m
                WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id AND m.sender_type = 'agent'
            ) fr ON true
        """;

    /// <summary>Rollup path: the same instant from interaction_first_agent_message, by primary key (no partition probes).</summary>
    private const string FirstResponseTable = """
        LEFT JOIN interaction_first_agent_message fr ON fr.provider_id = i.provider_id AND fr.interaction_id = i.interaction_id
        """;

    private const string RawSent = $$"""
        sent AS (
            -- agent messages, attributed to sentAt and to their sender
            SELECT width_bucket(m.sent_at, @Bounds) AS bucket, m.sender_id AS agent_id, 1 AS n
            FROM messages m
            LEFT JOIN interactions i ON i.provider_id = m.provider_id AND i.interaction_id = m.interaction_id
            WHERE m.provider_id = @ProviderId
              AND m.sent_at >= @Start AND m.sent_at < @End
              AND m.sender_type = 'agent' AND m.sender_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR m.sender_id = ANY(@AgentIds))
              AND {{InteractionPredicates}}
        ),
        """;

    /// <summary>
    /// Rollup path: agent messages of whole 15-minute steps from message_rollup_15m (agent_sender_id = sender_id of agent
    /// messages), the partial edges from the raw rows; summed per bucket and agent before the GROUPING SETS. The
    /// interaction filters, when given, keep rows whose interaction currently matches (<paramref name="matched"/>).
    /// </summary>
    private static string RollupSent(string matched) => $$"""
        sent_rows AS (
            SELECT m.sent_at AS at, m.sender_id AS agent_id, 1 AS n
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
              AND m.sender_type = 'agent' AND m.sender_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR m.sender_id = ANY(@AgentIds))
              {{matched.Replace("{id}", "m.interaction_id", StringComparison.Ordinal)}}
            UNION ALL
            SELECT r.bucket_start, r.agent_sender_id, r.from_agent
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
              AND r.agent_sender_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR r.agent_sender_id = ANY(@AgentIds))
              {{matched.Replace("{id}", "r.interaction_id", StringComparison.Ordinal)}}
        ),
        sent AS (
            SELECT width_bucket(at, @Bounds) AS bucket, agent_id, sum(n) AS n FROM sent_rows GROUP BY 1, 2
        ),
        """;

    private const string Matched = $$"""
        AND {id} IN (SELECT i.interaction_id FROM interactions i WHERE i.provider_id = @ProviderId AND {{InteractionPredicates}})
        """;

    private const string Tail = $$"""
        logged AS (
            -- session overlap with each bucket; an open session runs up to now (bucket ends clip it to the range end)
            SELECT s.bucket, s.agent_id,
                   extract(epoch FROM least(s.until, s.hi) - greatest(s.login_at, s.lo)) AS seconds
            FROM {{SessionBuckets.Spans}}
            WHERE s.login_at < s.hi AND s.until > s.lo
        ),
        facts AS (
            SELECT bucket, agent_id, true AS is_handled, NULL::bigint AS sent, handle_exact, handle_seconds, first_response_exact, first_response_seconds,
                   NULL::numeric AS logged_seconds FROM handled
            UNION ALL
            SELECT bucket, agent_id, false, n, NULL, NULL, NULL, NULL, NULL FROM sent
            UNION ALL
            SELECT bucket, agent_id, false, NULL, NULL, NULL, NULL, NULL, seconds FROM logged WHERE seconds > 0
        ),
        grouped AS (
            SELECT grouping(bucket, agent_id) AS grp, bucket, agent_id,
                   -- handled: answered interactions (answeredAt in the bucket)
                   count(*) FILTER (WHERE is_handled) AS handled,
                   -- handleSeconds: endedAt − answeredAt over answered interactions that ended (nulls are skipped)
                   avg(handle_exact)::float8 AS handle_seconds_avg,
                   -- p50 and p90 from one sort per group (the same values as two percentile_cont calls)
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY handle_seconds) AS handle_p,
                   -- firstResponseSeconds: first agent message sentAt − answeredAt over answered interactions with an agent message
                   avg(first_response_exact)::float8 AS first_response_seconds_avg,
                   percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY first_response_seconds) AS first_response_p,
                   -- messagesSent: agent messages by sentAt (a count of raw rows, or a sum of rollup counts)
                   coalesce(sum(sent), 0)::bigint AS messages_sent,
                   -- loggedInSeconds: sum of agent-session overlap with the bucket
                   coalesce(sum(logged_seconds), 0)::float8 AS logged_in_seconds,
                   -- occupancy: handle seconds of interactions answered in the bucket ÷ loggedInSeconds (null when not logged in)
                   (coalesce(sum(handle_exact), 0) / nullif(sum(logged_seconds), 0))::float8 AS occupancy
            FROM facts
            GROUP BY GROUPING SETS ((bucket), (agent_id), ())
        )
        SELECT g.grp, g.bucket, g.agent_id, g.handled, g.handle_seconds_avg,
               g.handle_p[1] AS handle_seconds_p50, g.handle_p[2] AS handle_seconds_p90,
               g.first_response_seconds_avg, g.first_response_p[1] AS first_response_seconds_p50, g.first_response_p[2] AS first_response_seconds_p90,
               g.messages_sent, g.logged_in_seconds, g.occupancy, a.name
        FROM grouped g
        LEFT JOIN agents a ON a.provider_id = @ProviderId AND a.agent_id = g.agent_id
        ORDER BY g.grp, g.bucket, g.agent_id
        """;

    /// <summary>The sessions overlapping the range, read once (see <see cref="SessionBuckets"/>).</summary>
    private const string Head = """
        WITH sessions AS MATERIALIZED (
            SELECT s.agent_id, s.login_at, coalesce(s.logout_at, @Now) AS until
            FROM agent_sessions s
            WHERE s.provider_id = @ProviderId
              -- "<= 'infinity'" (true for every logout) keeps the prepared plan on agent_sessions_by_logout (see AgentAccessStats)
              AND s.login_at < @End AND (s.logout_at IS NULL OR (s.logout_at > @Start AND s.logout_at <= 'infinity'))
              AND (cardinality(@AgentIds) = 0 OR s.agent_id = ANY(@AgentIds))
        ),
        """;

    /// <summary>Raw path: every figure from the raw rows.</summary>
    private static readonly string Sql = Head + Handled(FirstResponseLateral) + RawSent + Tail;

    /// <summary>
    /// Rollup path (<see cref="RollupSplit"/>): messagesSent for whole 15-minute steps from message_rollup_15m. handled,
    /// handle and first-response seconds stay raw (exact p50/p90 need every sample), read through interactions_by_answered
    /// and interaction_first_agent_message by key (one sort per measure for p50 and p90); loggedInSeconds stays raw (each
    /// session against only the buckets it spans).
    /// </summary>
    private static readonly string RollupSql = Head + Handled(FirstResponseTable) + RollupSent("") + Tail;

    private static readonly string FilteredRollupSql = Head + Handled(FirstResponseTable) + RollupSent(Matched) + Tail;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, DateTime now, Request r, RollupSplit? split, CancellationToken ct)
    {
        // the agent filter applies to the sender of agent messages, not through the interaction
        var sql = split is null ? Sql : InteractionFilters.Any(r, countAgent: false) ? FilteredRollupSql : RollupSql;
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
            Now = now,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
