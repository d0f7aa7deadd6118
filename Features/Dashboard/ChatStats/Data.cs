using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.ChatStats;

public static class Data
{
    public sealed record Figures
    {
        public long ActiveInteractions { get; init; }
        public long WaitingInQueue { get; init; }
        public double? LongestWaitSeconds { get; init; }
        public long AgentsOnline { get; init; }
        public long ActiveBotSessions { get; init; }
        public long Started { get; init; }
        public long Offered { get; init; }
        public long Answered { get; init; }
        public long Abandoned { get; init; }
        public double? WaitSecondsAvg { get; init; }
    }

    public static async Task<string?> ProviderZoneAsync(NpgsqlDataSource db, long providerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT time_zone FROM providers WHERE provider_id = @ProviderId", new { ProviderId = providerId }, cancellationToken: ct));
    }

    // Everything is "as known at @At": an answer or an end later than @At has not happened yet.
    // Rows open at @At (began ≤ at, not ended by at) are read as two disjoint sets — still open (end IS NULL) and ending
    // after at — through the partial and end-time indexes of migration 0011, so the cost is the rows spanning @At, not
    // the provider's whole history. "Today" reads the day's rows through the start and queue-time indexes.
    private const string Sql = """
        WITH open_interactions AS (
            SELECT i.queued_at, i.answered_at, i.abandoned_at, i.ended_at FROM interactions i
            WHERE i.provider_id = @ProviderId AND i.started_at <= @At AND i.ended_at IS NULL
            UNION ALL
            SELECT i.queued_at, i.answered_at, i.abandoned_at, i.ended_at FROM interactions i
            WHERE i.provider_id = @ProviderId AND i.started_at <= @At AND i.ended_at > @At
        ),
        live AS (
            SELECT
                -- activeInteractions: started ≤ at and not ended by at
                count(*) AS active_interactions,
                -- waitingInQueue: queued ≤ at and not answered, abandoned or ended by at
                count(*) FILTER (WHERE o.queued_at <= @At AND (o.answered_at IS NULL OR o.answered_at > @At)
                                 AND (o.abandoned_at IS NULL OR o.abandoned_at > @At)) AS waiting_in_queue,
                -- longestWaitSeconds: at − queuedAt of the longest-waiting of those
                (max(extract(epoch FROM @At - o.queued_at)) FILTER (WHERE o.queued_at <= @At AND (o.answered_at IS NULL OR o.answered_at > @At)
                                 AND (o.abandoned_at IS NULL OR o.abandoned_at > @At)))::float8 AS longest_wait_seconds
            FROM open_interactions o
        ),
        today AS (
            SELECT
                -- today (provider's local midnight → at, inclusive): started, and SPEC §4 queue metrics attributed to queuedAt
                (SELECT count(*) FROM interactions i
                 WHERE i.provider_id = @ProviderId AND i.started_at >= @Midnight AND i.started_at <= @At) AS started,
                count(*) AS offered,
                count(*) FILTER (WHERE i.answered_at <= @At) AS answered,
                count(*) FILTER (WHERE i.abandoned_at <= @At AND (i.answered_at IS NULL OR i.answered_at > @At)) AS abandoned,
                (avg(extract(epoch FROM i.answered_at - i.queued_at)) FILTER (WHERE i.answered_at <= @At))::float8 AS wait_seconds_avg
            FROM interactions i
            WHERE i.provider_id = @ProviderId AND i.queued_at >= @Midnight AND i.queued_at <= @At AND i.started_at <= @At
        )
        SELECT live.*, today.*,
               -- agentsOnline: distinct agents with a session open at at (login ≤ at, no logout or logout after at)
               (SELECT count(DISTINCT s.agent_id) FROM (
                    SELECT s.agent_id FROM agent_sessions s WHERE s.provider_id = @ProviderId AND s.login_at <= @At AND s.logout_at IS NULL
                    UNION ALL
                    SELECT s.agent_id FROM agent_sessions s WHERE s.provider_id = @ProviderId AND s.login_at <= @At AND s.logout_at > @At) s) AS agents_online,
               -- activeBotSessions: bot sessions started ≤ at and not ended by at
               (SELECT count(*) FROM bot_sessions b
                WHERE b.provider_id = @ProviderId AND b.started_at <= @At AND b.ended_at IS NULL)
             + (SELECT count(*) FROM bot_sessions b
                WHERE b.provider_id = @ProviderId AND b.started_at <= @At AND b.ended_at > @At) AS active_bot_sessions
        FROM live, today
        """;

    public static async Task<Figures> QueryAsync(NpgsqlDataSource db, long providerId, DateTime at, DateTime midnight, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<Figures>(new CommandDefinition(Sql,
            new { ProviderId = providerId, At = at, Midnight = midnight }, cancellationToken: ct));
    }
}
