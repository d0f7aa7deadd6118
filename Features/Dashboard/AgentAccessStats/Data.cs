using Dapper;
using KoopidDashboard.Infrastructure.Database;
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

    /// <summary>The sessions overlapping the range (both paths); an open one counts up to now.</summary>
    private const string SessionsInRange = """
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
        """;

    /// <summary>The reference statement (the raw path, <c>Rollups:Enabled=false</c>): every figure in PostgreSQL.</summary>
    private const string Sql = $$"""
        WITH sessions AS MATERIALIZED (
            {{SessionsInRange}}
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

    /// <summary>One group's figures as <see cref="Sql"/>'s per_agent and grouped CTEs compute them.</summary>
    private sealed class Tally
    {
        private readonly HashSet<long> agents = [];
        private long logins, micros;
        private DateTime firstLogin = DateTime.MaxValue, lastLogout = DateTime.MinValue;
        private bool open;

        /// <summary>One (session, bucket) row of the facts CTE.</summary>
        public void Add(long agentId, DateTime login, DateTime? logout, bool loginHere, long overlapMicros)
        {
            agents.Add(agentId);
            logins += loginHere ? 1 : 0;
            micros += overlapMicros;
            firstLogin = login < firstLogin ? login : firstLogin;
            if (logout is { } l)
                lastLogout = l > lastLogout ? l : lastLogout;
            else
                open = true;
        }

        public Row ToRow(int grp, int? bucket, long? agentId, string? name = null) => new()
        {
            Grp = grp, Bucket = bucket, AgentId = agentId, Name = name,
            Logins = logins,
            UniqueAgents = agents.Count,
            // sum of exact numeric seconds, then ::float8: micros ÷ 10⁶ rounded once
            LoggedInSeconds = micros / 1_000_000.0,
            FirstLoginAt = agents.Count == 0 ? null : EpochMsFloor(firstLogin),
            // a group without an open session saw a logout on every session
            LastLogoutAt = agents.Count == 0 || open ? null : EpochMsFloor(lastLogout),
        };

        /// <summary>floor(extract(epoch FROM t) * 1000)::int8.</summary>
        private static long EpochMsFloor(DateTime t) => (long)Math.Floor(PostgresArithmetic.Micros(DateTime.UnixEpoch, t) / 1000.0);
    }

    /// <summary>
    /// Rollup path (the default), computed in the service: the sessions overlapping the range as stored, each split across
    /// the buckets it spans as <see cref="SessionBuckets.Spans"/> and the facts CTE split it (from its login's bucket, at
    /// least the first, to its end's, at most the last; a bucket where it overlaps or logs in), then summed per bucket, per
    /// agent and in total. In PostgreSQL the generate_series, the per-row numeric seconds and the grouping sets' sorts were
    /// the statement. <see cref="Sql"/> stays the reference; the rollup/raw equivalence test compares the two.
    /// </summary>
    private static async Task<IReadOnlyList<Row>> TallyAsync(NpgsqlConnection connection, long providerId, DateTime[] bounds, object parameters,
        CancellationToken ct)
    {
        var perBucket = new Tally?[bounds.Length];
        var perAgent = new SortedDictionary<long, Tally>();
        var total = new Tally();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(SessionsInRange, parameters, cancellationToken: ct)))
        {
            while (await reader.ReadAsync(ct))
            {
                var (agentId, login) = (reader.GetInt64(0), reader.GetDateTime(1));
                DateTime? logout = reader.IsDBNull(2) ? null : reader.GetDateTime(2);
                var until = reader.GetDateTime(3);
                var (first, last) = SessionBuckets.Spanned(bounds, login, until);
                for (var bucket = first; bucket <= last; bucket++)
                {
                    var (lo, hi) = (bounds[bucket - 1], bounds[bucket]);
                    var loginHere = login >= lo && login < hi;
                    if (!loginHere && (login >= hi || until <= lo))
                        continue;
                    var overlap = Math.Max(PostgresArithmetic.Micros(login > lo ? login : lo, until < hi ? until : hi), 0);
                    (perBucket[bucket] ??= new Tally()).Add(agentId, login, logout, loginHere, overlap);
                    if (!perAgent.TryGetValue(agentId, out var forAgent))
                        perAgent[agentId] = forAgent = new Tally();
                    forAgent.Add(agentId, login, logout, loginHere, overlap);
                    total.Add(agentId, login, logout, loginHere, overlap);
                }
            }
        }
        var names = await AgentNames.ReadAsync(connection, providerId, perAgent.Keys, ct);
        // the empty grouping set answers a totals row even over no rows, as in SQL
        return
        [
            .. perBucket.Select((tally, bucket) => tally?.ToRow(BucketGroup, bucket, null)).OfType<Row>(),
            .. perAgent.Select(a => a.Value.ToRow(AgentGroup, null, a.Key, names.GetValueOrDefault(a.Key))),
            total.ToRow(TotalsGroup, null, null),
        ];
    }

    /// <summary>The slice's figures: computed in the service when <paramref name="inService"/> (rollups on), else by <see cref="Sql"/>.</summary>
    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, DateTime now, Request r, bool inService,
        CancellationToken ct)
    {
        var parameters = new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            Now = now,
            AgentIds = r.AgentId ?? [],
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        if (inService)
            return await TallyAsync(connection, providerId, plan.Bounds, parameters, ct);
        return (await connection.QueryAsync<Row>(new CommandDefinition(Sql, parameters, cancellationToken: ct))).AsList();
    }
}
