using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.AgentAccessStats;

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
        public long? FirstLoginAt { get; init; }
        public long? LastLogoutAt { get; init; }
    }

    private const string Sql = $$"""
        WITH sessions AS MATERIALIZED (
            -- an open session counts up to now; bucket ends clip it to the range end (so min(now, end))
            SELECT s.agent_id, s.login_at, s.logout_at, greatest(s.login_at, coalesce(s.logout_at, @Now)) AS until
            FROM agent_sessions s
            WHERE s.provider_id = @ProviderId
              AND s.login_at < @End
              -- "<= 'infinity'" is true for every logout; it makes a two-sided range, which even a plan costed without the
              -- values (a generic plan, where Options= overrides the plan per execution) estimates small, so it reads
              -- agent_sessions_by_logout (+ the open-session index) instead of every session the provider ever logged
              -- (400 days: 34 k rows, 5 ms, for the 2.6 k of a 30-day range)
              AND (s.logout_at IS NULL OR (s.logout_at >= @Start AND s.logout_at <= 'infinity'))
              AND (cardinality(@AgentIds) = 0 OR s.agent_id = ANY(@AgentIds))
        ),
        facts AS (
            -- one row per (session, bucket) the session logged in during or was logged in at some instant of
            SELECT s.bucket, s.agent_id, s.login_at, s.logout_at,
                   s.login_at >= s.lo AND s.login_at < s.hi AS login_here,
                   -- exact numeric seconds: their sum does not depend on row order
                   greatest(extract(epoch FROM least(s.until, s.hi) - greatest(s.login_at, s.lo)), 0) AS seconds
            FROM {{SessionBuckets.Spans}}
            WHERE (s.login_at < s.hi AND s.until > s.lo) OR (s.login_at >= s.lo AND s.login_at < s.hi)
        ),
        per_agent AS (
            -- each agent's figures per bucket first (hashed), so the grouping sets below sort one row per agent and
            -- bucket instead of one per session and bucket; a row here is one distinct agent of its bucket
            SELECT bucket, agent_id,
                   count(*) FILTER (WHERE login_here) AS logins,
                   sum(seconds) AS seconds,
                   min(login_at) AS first_login, max(logout_at) AS last_logout, bool_or(logout_at IS NULL) AS open
            FROM facts
            GROUP BY bucket, agent_id
        ),
        grouped AS (
            SELECT grouping(bucket, agent_id) AS grp, bucket, agent_id,
                   -- logins: sessions with loginAt in the bucket
                   coalesce(sum(logins), 0)::bigint AS logins,
                   -- uniqueAgents: distinct agents logged in at any instant of the bucket (or logging in during it)
                   count(DISTINCT agent_id) AS unique_agents,
                   -- loggedInSeconds: sum of session overlap with the bucket
                   coalesce(sum(seconds), 0)::float8 AS logged_in_seconds,
                   -- rows: first login / last logout of the sessions overlapping the range; open session → no last logout
                   floor(extract(epoch FROM min(first_login)) * 1000)::int8 AS first_login_at,
                   CASE WHEN bool_or(open) THEN NULL ELSE floor(extract(epoch FROM max(last_logout)) * 1000)::int8 END AS last_logout_at
            FROM per_agent
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
            AgentIds = r.AgentId ?? [],
        }, cancellationToken: ct));
        return rows.AsList();
    }
}
