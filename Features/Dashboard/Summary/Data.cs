using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Summary;

public static class Data
{
    /// <summary>Period 0 = the range [Start, End), period 1 = the previous range [PrevStart, Start).</summary>
    public sealed record PeriodRow : Figures
    {
        public int Period { get; init; }
    }

    private const string Sql = """
        WITH periods (period, p_start, p_end) AS (
            VALUES (0, @Start::timestamptz, @End::timestamptz), (1, @PrevStart::timestamptz, @Start::timestamptz)
        ),
        -- interaction metrics: attributed to startedAt (SPEC §4)
        ints AS (
            SELECT CASE WHEN i.started_at >= @Start THEN 0 ELSE 1 END AS period,
                   -- interactions: started in the period
                   count(*) AS interactions,
                   -- uniqueCustomers: distinct customers of those interactions
                   count(DISTINCT i.customer_id) AS unique_customers,
                   -- handleSeconds: endedAt − answeredAt over answered interactions that ended
                   (avg(extract(epoch FROM i.ended_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL AND i.ended_at IS NOT NULL))::float8 AS handle_seconds_avg,
                   -- firstResponseSeconds: first agent message sentAt − answeredAt over answered interactions with an agent message
                   (avg(extract(epoch FROM fr.first_agent_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL))::float8 AS first_response_seconds_avg,
                   -- avgSentiment / avgCsat: means over the interactions that carry one
                   avg(i.sentiment)::float8 AS avg_sentiment,
                   avg(i.csat)::float8 AS avg_csat
            FROM interactions i
            LEFT JOIN LATERAL (
                SELECT min(m.sent_at) AS first_agent_at FROM messages m
                WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id AND m.sender_type = 'agent'
            ) fr ON i.answered_at IS NOT NULL
            WHERE i.provider_id = @ProviderId AND i.started_at >= @PrevStart AND i.started_at < @End
            GROUP BY 1
        ),
        -- queue metrics: attributed to queuedAt (SPEC §4)
        queue AS (
            SELECT CASE WHEN i.queued_at >= @Start THEN 0 ELSE 1 END AS period,
                   -- answered: offered with answeredAt
                   count(*) FILTER (WHERE i.answered_at IS NOT NULL) AS answered,
                   -- abandonRate: abandoned (abandonedAt, no answeredAt) ÷ offered
                   (count(*) FILTER (WHERE i.abandoned_at IS NOT NULL AND i.answered_at IS NULL))::float8 / NULLIF(count(*), 0) AS abandon_rate,
                   -- waitSeconds: answeredAt − queuedAt over answered
                   (avg(extract(epoch FROM i.answered_at - i.queued_at)) FILTER (WHERE i.answered_at IS NOT NULL))::float8 AS wait_seconds_avg
            FROM interactions i
            WHERE i.provider_id = @ProviderId AND i.queued_at >= @PrevStart AND i.queued_at < @End
            GROUP BY 1
        ),
        -- messages: attributed to sentAt
        msgs AS (
            SELECT CASE WHEN m.sent_at >= @Start THEN 0 ELSE 1 END AS period, count(*) AS messages
            FROM messages m
            WHERE m.provider_id = @ProviderId AND m.sent_at >= @PrevStart AND m.sent_at < @End
            GROUP BY 1
        ),
        -- containmentRate: bot sessions with outcome contained ÷ bot sessions, attributed to the session's startedAt
        bots AS (
            SELECT CASE WHEN b.started_at >= @Start THEN 0 ELSE 1 END AS period,
                   (count(*) FILTER (WHERE b.outcome = 'contained'))::float8 / count(*) AS containment_rate
            FROM bot_sessions b
            WHERE b.provider_id = @ProviderId AND b.started_at >= @PrevStart AND b.started_at < @End
            GROUP BY 1
        )
        SELECT p.period,
               coalesce(ints.interactions, 0) AS interactions,
               coalesce(ints.unique_customers, 0) AS unique_customers,
               coalesce(msgs.messages, 0) AS messages,
               coalesce(queue.answered, 0) AS answered,
               queue.abandon_rate, queue.wait_seconds_avg,
               ints.handle_seconds_avg, ints.first_response_seconds_avg,
               bots.containment_rate, ints.avg_sentiment, ints.avg_csat,
               -- activeAgents: distinct agents with a session overlapping the period; an open session runs until now
               (SELECT count(DISTINCT s.agent_id) FROM agent_sessions s
                WHERE s.provider_id = @ProviderId AND s.login_at < p.p_end
                  AND (s.logout_at > p.p_start OR (s.logout_at IS NULL AND p.p_start < @Now))) AS active_agents
        FROM periods p
        LEFT JOIN ints USING (period)
        LEFT JOIN queue USING (period)
        LEFT JOIN msgs USING (period)
        LEFT JOIN bots USING (period)
        ORDER BY p.period
        """;

    public static async Task<(Figures Current, Figures Previous)> QueryAsync(NpgsqlDataSource db, long providerId,
        DateTime start, DateTime end, DateTime previousStart, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<PeriodRow>(new CommandDefinition(Sql, new
        {
            ProviderId = providerId,
            Start = start,
            End = end,
            PrevStart = previousStart,
            Now = now,
        }, cancellationToken: ct))).AsList();
        return (rows.Single(r => r.Period == 0), rows.Single(r => r.Period == 1));
    }
}
