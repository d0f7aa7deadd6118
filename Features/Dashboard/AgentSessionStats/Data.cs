using System.Runtime.InteropServices;
using Dapper;
using KoopidDashboard.Infrastructure.Database;
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

    /// <summary>Raw path: the first agent message by min() over the interaction's messages.</summary>
    private const string FirstResponseLateral = """
        LEFT JOIN LATERAL (
                SELECT min(m.sent_at) AS first_sent_at
                FROM messages m
                WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id AND m.sender_type = 'agent'
            ) fr ON true
        """;

    /// <summary>
    /// An agent's answered interactions, attributed to answeredAt (when the agent's work starts), joined by
    /// <paramref name="firstResponseJoin"/> when given.
    /// </summary>
    private static string HandledFrom(string firstResponseJoin = "") => $$"""
        FROM interactions i
        {{firstResponseJoin}}
        WHERE i.provider_id = @ProviderId
          AND i.answered_at >= @Start AND i.answered_at < @End
          AND i.agent_id IS NOT NULL
          AND (cardinality(@AgentIds) = 0 OR i.agent_id = ANY(@AgentIds))
          AND {{InteractionPredicates}}
        """;

    /// <summary>Raw path: the handled interactions' seconds, the first response by min() over the messages.</summary>
    private static readonly string Handled = $$"""
        handled AS (
            SELECT width_bucket(i.answered_at, @Bounds) AS bucket, i.agent_id,
                   -- seconds as exact numeric for sums and averages (order-independent, so every plan gives the same
                   -- float8), as float8 for the percentiles
                   extract(epoch FROM i.ended_at - i.answered_at) AS handle_exact,                       -- null until it ends
                   extract(epoch FROM i.ended_at - i.answered_at)::float8 AS handle_seconds,
                   extract(epoch FROM fr.first_sent_at - i.answered_at) AS first_response_exact,         -- null without an agent message
                   extract(epoch FROM fr.first_sent_at - i.answered_at)::float8 AS first_response_seconds
            {{HandledFrom(FirstResponseLateral)}}
        ),
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
    /// messages), of whole UTC hours [HourStart, HourEnd) from message_rollup_1h_agent when <paramref name="hourly"/>, the
    /// partial edges from the raw rows; summed per bucket and agent before the GROUP BY. The interaction filters, when
    /// given, keep rows whose interaction currently matches (<paramref name="matched"/>); the hourly tier has no
    /// interaction, so filtered calls pass an empty hour range at RollupEnd (<see cref="RollupSplit.HoursFor"/>). Each range
    /// is its own branch: an OR of two ranges is no index bound for an index-only scan.
    /// </summary>
    private static string RollupSent(string matched, bool hourly) => $$"""
        sent_rows AS (
            SELECT m.sent_at AS at, m.sender_id AS agent_id, 1 AS n
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
              AND m.sender_type = 'agent' AND m.sender_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR m.sender_id = ANY(@AgentIds))
              {{matched.Replace("{id}", "m.interaction_id", StringComparison.Ordinal)}}
            {{FifteenMinuteSent(matched, "@RollupStart", "@HourStart")}}
            {{FifteenMinuteSent(matched, "@HourEnd", "@RollupEnd")}}
            {{(hourly ? HourlySent : "")}}
        ),
        sent AS (
            SELECT width_bucket(at, @Bounds) AS bucket, agent_id, sum(n) AS n FROM sent_rows GROUP BY 1, 2
        ),
        """;

    /// <summary>A UNION ALL branch: message_rollup_15m's agent rows in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    private static string FifteenMinuteSent(string matched, string from, string to) => $$"""
        UNION ALL
            SELECT r.bucket_start, r.agent_sender_id, r.from_agent
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId AND r.bucket_start >= {{from}} AND r.bucket_start < {{to}}
              AND r.agent_sender_id IS NOT NULL
              AND (cardinality(@AgentIds) = 0 OR r.agent_sender_id = ANY(@AgentIds))
              {{matched.Replace("{id}", "r.interaction_id", StringComparison.Ordinal)}}
        """;

    /// <summary>A UNION ALL branch: message_rollup_1h_agent's rows of the whole hours [HourStart, HourEnd).</summary>
    private const string HourlySent = """
        UNION ALL
            SELECT h.bucket_start, h.agent_sender_id, h.from_agent
            FROM message_rollup_1h_agent h
            WHERE h.provider_id = @ProviderId AND h.bucket_start >= @HourStart AND h.bucket_start < @HourEnd
              AND (cardinality(@AgentIds) = 0 OR h.agent_sender_id = ANY(@AgentIds))
        """;

    private const string Matched = $$"""
        AND {id} IN (SELECT i.interaction_id FROM interactions i WHERE i.provider_id = @ProviderId AND {{InteractionPredicates}})
        """;

    private const string Logged = $$"""
        logged AS (
            -- session overlap with each bucket; an open session runs up to now (bucket ends clip it to the range end)
            SELECT s.bucket, s.agent_id,
                   extract(epoch FROM least(s.until, s.hi) - greatest(s.login_at, s.lo)) AS seconds
            FROM {{SessionBuckets.Spans}}
            WHERE s.login_at < s.hi AND s.until > s.lo
        ),
        """;

    private const string Tail = Logged + """
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

    /// <summary>The sessions overlapping the range; an open one runs up to now.</summary>
    private const string SessionsInRange = """
        SELECT s.agent_id, s.login_at, coalesce(s.logout_at, @Now) AS until
            FROM agent_sessions s
            WHERE s.provider_id = @ProviderId
              -- "<= 'infinity'" (true for every logout) keeps the prepared plan on agent_sessions_by_logout (see AgentAccessStats)
              AND s.login_at < @End AND (s.logout_at IS NULL OR (s.logout_at > @Start AND s.logout_at <= 'infinity'))
              AND (cardinality(@AgentIds) = 0 OR s.agent_id = ANY(@AgentIds))
        """;

    /// <summary>Raw path: the sessions overlapping the range, read once (see <see cref="SessionBuckets"/>).</summary>
    private const string Head = "WITH sessions AS MATERIALIZED (\n    " + SessionsInRange + "),\n";

    /// <summary>Raw path: every figure from the raw rows.</summary>
    private static readonly string Sql = Head + Handled + RawSent + Tail;

    /// <summary>
    /// Service path, first statement: messagesSent (rollup plus raw edges) per bucket and agent, the facts <see cref="Tail"/>
    /// groups as <c>sent</c>. Second statement: the sessions overlapping the range, which the service splits across the
    /// buckets as <see cref="Logged"/> does (<see cref="AddLogged"/>): in PostgreSQL, generate_series and the per-row
    /// numeric seconds took ≈ 3 ms of the 30-day call.
    /// </summary>
    private static string SentAndSessions(string matched, bool hourly) => "WITH " + RollupSent(matched, hourly).TrimEnd().TrimEnd(',') + """

        SELECT bucket, agent_id, n::bigint AS sent FROM sent;
        """ + SessionsInRange + ";\n";

    /// <summary>
    /// Service path, third statement: the handled interactions as stored, with the copy of their first agent message
    /// (interactions.first_agent_at, FirstAgentMessages): index-only through interactions_by_answered when unfiltered. The
    /// service finds each row's bucket from answeredAt (<see cref="BucketPlan.WidthBucket"/>).
    /// </summary>
    private static readonly string HandledRows = $$"""
        SELECT i.agent_id, i.answered_at, i.ended_at, i.first_agent_at
        {{HandledFrom()}}
        """;

    private static readonly string ServiceSql = SentAndSessions("", hourly: true) + HandledRows;

    private static readonly string FilteredServiceSql = SentAndSessions(Matched, hourly: false) + HandledRows;

    /// <summary>One group's figures, each as <see cref="Tail"/>'s aggregate computes it (<see cref="PostgresArithmetic"/>).</summary>
    private sealed class Tally
    {
        private readonly List<double> handleSeconds = [], firstResponseSeconds = [];
        private long handled, handleMicros, firstResponseMicros, sent, loggedMicros;
        private bool loggedIn;

        public void AddHandled(long? handleMicros, long? firstResponseMicros)
        {
            handled++;
            if (handleMicros is { } h)
            {
                this.handleMicros += h;
                // extract(epoch …)::float8: the numeric micros ÷ 10⁶ rounded once, as the division is
                handleSeconds.Add(h / 1_000_000.0);
            }
            if (firstResponseMicros is { } f)
            {
                this.firstResponseMicros += f;
                firstResponseSeconds.Add(f / 1_000_000.0);
            }
        }

        public void AddSentAndLogged(long sent, long? loggedMicros)
        {
            this.sent += sent;
            if (loggedMicros is { } l)
                (this.loggedMicros, loggedIn) = (this.loggedMicros + l, true);
        }

        public Row ToRow(int grp, int? bucket, long? agentId, string? name = null) => new()
        {
            Grp = grp, Bucket = bucket, AgentId = agentId, Name = name,
            Handled = handled,
            HandleSecondsAvg = handleSeconds.Count == 0 ? null : PostgresArithmetic.AverageSeconds(handleMicros, handleSeconds.Count),
            HandleSecondsP50 = PostgresArithmetic.PercentileCont(CollectionsMarshal.AsSpan(handleSeconds), 0.5),
            HandleSecondsP90 = PostgresArithmetic.PercentileCont(CollectionsMarshal.AsSpan(handleSeconds), 0.9),
            FirstResponseSecondsAvg = firstResponseSeconds.Count == 0 ? null
                : PostgresArithmetic.AverageSeconds(firstResponseMicros, firstResponseSeconds.Count),
            FirstResponseSecondsP50 = PostgresArithmetic.PercentileCont(CollectionsMarshal.AsSpan(firstResponseSeconds), 0.5),
            FirstResponseSecondsP90 = PostgresArithmetic.PercentileCont(CollectionsMarshal.AsSpan(firstResponseSeconds), 0.9),
            MessagesSent = sent,
            LoggedInSeconds = loggedMicros / 1_000_000.0,
            // coalesce(sum(handle), 0) ÷ sum(logged): scale 6 numerics, or the 0 literal when nothing handled has ended
            Occupancy = !loggedIn ? null : PostgresArithmetic.NumericQuotient(handleMicros, handleSeconds.Count == 0 ? 0 : 6, loggedMicros, 6),
        };
    }

    /// <summary>
    /// A session's logged-in micros per bucket, as <see cref="Logged"/> over <see cref="SessionBuckets.Spans"/> computes
    /// them: the buckets from its login's (at least the first) to its end's (at most the last), each the overlap of
    /// [login, until) with the bucket where it is positive.
    /// </summary>
    private static void AddLogged(DateTime[] bounds, DateTime login, DateTime until, Action<int, long> add)
    {
        var (first, last) = SessionBuckets.Spanned(bounds, login, until);
        for (var bucket = first; bucket <= last; bucket++)
        {
            var (lo, hi) = (bounds[bucket - 1], bounds[bucket]);
            if (login >= hi || until <= lo)
                continue;
            var micros = PostgresArithmetic.Micros(login > lo ? login : lo, until < hi ? until : hi);
            if (micros > 0)
                add(bucket, micros);
        }
    }

    /// <summary>
    /// Rollup path, computed in the service: messagesSent per bucket and agent from PostgreSQL, the sessions and the handled
    /// interactions as stored; the service splits the sessions across the buckets, sums per bucket and agent, forms the
    /// groups and computes the averages and exact p50/p90 as <see cref="Tail"/> does, bit for bit. In PostgreSQL the six
    /// percentile sorts (two measures, three grouping sets) and per-row numeric extracts were most of the statement.
    /// </summary>
    private static async Task<IReadOnlyList<Row>> TallyAsync(NpgsqlConnection connection, string sql, DynamicParameters parameters, long providerId,
        DateTime[] bounds, CancellationToken ct)
    {
        var perBucket = new Tally?[bounds.Length];
        var perAgent = new SortedDictionary<long, Tally>();
        var total = new Tally();
        Tally ForAgent(long agentId) => perAgent.TryGetValue(agentId, out var t) ? t : perAgent[agentId] = new Tally();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, cancellationToken: ct)))
        {
            void AddSentAndLogged(int bucket, long agentId, long sent, long? loggedMicros)
            {
                (perBucket[bucket] ??= new Tally()).AddSentAndLogged(sent, loggedMicros);
                ForAgent(agentId).AddSentAndLogged(sent, loggedMicros);
                total.AddSentAndLogged(sent, loggedMicros);
            }
            while (await reader.ReadAsync(ct))
                AddSentAndLogged(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), null);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var agentId = reader.GetInt64(0);
                AddLogged(bounds, reader.GetDateTime(1), reader.GetDateTime(2), (bucket, micros) => AddSentAndLogged(bucket, agentId, 0, micros));
            }
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var answeredAt = reader.GetDateTime(1);
                long? handle = reader.IsDBNull(2) ? null : PostgresArithmetic.Micros(answeredAt, reader.GetDateTime(2));
                long? firstResponse = reader.IsDBNull(3) ? null : PostgresArithmetic.Micros(answeredAt, reader.GetDateTime(3));
                (perBucket[BucketPlan.WidthBucket(bounds, answeredAt)] ??= new Tally()).AddHandled(handle, firstResponse);
                ForAgent(reader.GetInt64(0)).AddHandled(handle, firstResponse);
                total.AddHandled(handle, firstResponse);
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

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, DateTime now, Request r, RollupSplit? split, CancellationToken ct)
    {
        // the agent filter applies to the sender of agent messages, not through the interaction; the other filters need the
        // interaction, which the hourly tier does not keep
        var filtered = InteractionFilters.Any(r, countAgent: false);
        var (hourStart, hourEnd) = RollupSplit.HoursFor(split, coarse: !filtered);
        var parameters = InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            HourStart = hourStart,
            HourEnd = hourEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
            Now = now,
        });
        await using var connection = await db.OpenConnectionAsync(ct);
        if (split is null)
            return (await connection.QueryAsync<Row>(new CommandDefinition(Sql, parameters, cancellationToken: ct))).AsList();
        return await TallyAsync(connection, filtered ? FilteredServiceSql : ServiceSql, parameters, providerId, plan.Bounds, ct);
    }
}
