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
    private const string Sql = """
        WITH live AS (
            SELECT
                -- activeInteractions: started ≤ at and not ended by at
                count(*) FILTER (WHERE i.ended_at IS NULL OR i.ended_at > @At) AS active_interactions,
                -- waitingInQueue: queued ≤ at and not answered, abandoned or ended by at
                count(*) FILTER (WHERE i.queued_at <= @At AND (i.answered_at IS NULL OR i.answered_at > @At)
                                 AND (i.abandoned_at IS NULL OR i.abandoned_at > @At) AND (i.ended_at IS NULL OR i.ended_at > @At)) AS waiting_in_queue,
                -- longestWaitSeconds: at − queuedAt of the longest-waiting of those
                (max(extract(epoch FROM @At - i.queued_at)) FILTER (WHERE i.queued_at <= @At AND (i.answered_at IS NULL OR i.answered_at > @At)
                                 AND (i.abandoned_at IS NULL OR i.abandoned_at > @At) AND (i.ended_at IS NULL OR i.ended_at > @At)))::float8 AS longest_wait_seconds,
                -- today (provider's local midnight → at, inclusive): started, and SPEC §4 queue metrics attributed to queuedAt
                count(*) FILTER (WHERE i.started_at >= @Midnight) AS started,
                count(*) FILTER (WHERE i.queued_at >= @Midnight AND i.queued_at <= @At) AS offered,
                count(*) FILTER (WHERE i.queued_at >= @Midnight AND i.queued_at <= @At AND i.answered_at <= @At) AS answered,
                count(*) FILTER (WHERE i.queued_at >= @Midnight AND i.queued_at <= @At AND i.abandoned_at <= @At
                                 AND (i.answered_at IS NULL OR i.answered_at > @At)) AS abandoned,
                (avg(extract(epoch FROM i.answered_at - i.queued_at)) FILTER (WHERE i.queued_at >= @Midnight AND i.queued_at <= @At AND i.answered_at <= @At))::float8 AS wait_seconds_avg
            FROM interactions i
            WHERE i.provider_id = @ProviderId AND i.started_at <= @At
        )
        SELECT live.*,
               -- agentsOnline: distinct agents with a session open at at (login ≤ at, no logout or logout after at)
               (SELECT count(DISTINCT s.agent_id) FROM agent_sessions s
                WHERE s.provider_id = @ProviderId AND s.login_at <= @At AND (s.logout_at IS NULL OR s.logout_at > @At)) AS agents_online,
               -- activeBotSessions: bot sessions started ≤ at and not ended by at
               (SELECT count(*) FROM bot_sessions b
                WHERE b.provider_id = @ProviderId AND b.started_at <= @At AND (b.ended_at IS NULL OR b.ended_at > @At)) AS active_bot_sessions
        FROM live
        """;

    public static async Task<Figures> QueryAsync(NpgsqlDataSource db, long providerId, DateTime at, DateTime midnight, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<Figures>(new CommandDefinition(Sql,
            new { ProviderId = providerId, At = at, Midnight = midnight }, cancellationToken: ct));
    }
}
