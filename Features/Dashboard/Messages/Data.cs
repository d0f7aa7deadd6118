using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Messages;

public static class Data
{
    /// <summary>A bucket's figures; <c>bucket</c> is the width_bucket number, NULL on the totals row (GROUPING SETS).</summary>
    public sealed record Row : Metrics
    {
        public int? Bucket { get; init; }
    }

    /// <summary>The metrics over <c>src</c> (at, interaction_id and the per-row counts), one aggregation for both paths.</summary>
    private const string Aggregate = """
        SELECT width_bucket(at, @Bounds) AS bucket,
               -- total: messages with sentAt in the bucket (SPEC §4 attribution)
               coalesce(sum(total), 0)::bigint AS total,
               -- fromCustomer / fromAgent / fromBot / fromSystem: by senderType
               coalesce(sum(from_customer), 0)::bigint AS from_customer,
               coalesce(sum(from_agent), 0)::bigint AS from_agent,
               coalesce(sum(from_bot), 0)::bigint AS from_bot,
               coalesce(sum(from_system), 0)::bigint AS from_system,
               -- interactions: distinct interactions of those messages (perInteraction = total ÷ interactions); exact over
               -- rollup rows too, which are keyed by interaction
               count(DISTINCT interaction_id) AS interactions,
               (sum(total)::float8 / NULLIF(count(DISTINCT interaction_id), 0)) AS per_interaction,
               -- redactedEntities: entities replaced by the redactor (one element of redacted_entities each)
               coalesce(sum(redacted_entities), 0)::bigint AS redacted_entities
        FROM src
        GROUP BY GROUPING SETS ((1), ())
        """;

    private const string RawColumns = """
        m.sent_at AS at, m.interaction_id, 1 AS total,
                   (m.sender_type = 'customer')::int AS from_customer, (m.sender_type = 'agent')::int AS from_agent,
                   (m.sender_type = 'bot')::int AS from_bot, (m.sender_type = 'system')::int AS from_system,
                   cardinality(m.redacted_entities) AS redacted_entities
        """;

    /// <summary>
    /// Raw path with a filter: the filters apply through the message's interaction (current values); a message whose
    /// interaction is unknown matches no filter (LEFT JOIN, NULL = ANY(…) is not true).
    /// </summary>
    private const string Sql = $$"""
        WITH src AS (
            SELECT {{RawColumns}}
            FROM messages m
            LEFT JOIN interactions i ON i.provider_id = m.provider_id AND i.interaction_id = m.interaction_id
            WHERE m.provider_id = @ProviderId
              AND m.sent_at >= @Start AND m.sent_at < @End
              AND {{InteractionFilters.OnInteraction}}
        )
        {{Aggregate}}
        """;

    /// <summary>Raw path without a filter: every predicate on the interaction is true, so the join is left out (same counts).</summary>
    private const string UnfilteredSql = $$"""
        WITH src AS (
            SELECT {{RawColumns}}
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND m.sent_at >= @Start AND m.sent_at < @End
        )
        {{Aggregate}}
        """;

    /// <summary>Raw rows outside the rollup range [RollupStart, RollupEnd): the partial 15-minute steps at both ends.</summary>
    private const string EdgeRows = """
        FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
        """;

    private const string RollupColumns = """
        r.bucket_start, r.interaction_id, r.messages, r.from_customer, r.from_agent, r.from_bot, r.from_system, r.redacted_entities
        """;

    /// <summary>
    /// Rollup path (<see cref="RollupSplit"/>): whole 15-minute steps from message_rollup_15m (counts are sums of counts,
    /// distinct interactions exact because rollup rows are per interaction), partial edges from the raw rows. No join.
    /// </summary>
    private const string UnfilteredRollupSql = $$"""
        WITH src AS (
            SELECT {{RawColumns}}
            {{EdgeRows}}
            UNION ALL
            SELECT {{RollupColumns}}
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
        )
        {{Aggregate}}
        """;

    /// <summary>
    /// Rollup path without a filter when the coarse tier answers (<see cref="RollupSplit.HasHours"/>), two statements. The
    /// counts read whole UTC hours from message_rollup_1h_total (a row per hour), the other whole steps from
    /// message_rollup_15m, the edges raw. The distinct interactions need every (step, interaction) of the range: the second
    /// statement streams them, index-only from message_rollup_15m over all of [RollupStart, RollupEnd) and raw for the
    /// edges, and the service counts them per bucket and in total (<see cref="CountDistinctAsync"/>). PostgreSQL's
    /// count(DISTINCT) sorted them once per grouping set: 400 days, 445 k rows, ≈ 170 ms of a 200 ms statement.
    /// </summary>
    private const string HourlyRollupSql = $$"""
        SELECT width_bucket(at, @Bounds) AS bucket,
               coalesce(sum(total), 0)::bigint AS total,
               coalesce(sum(from_customer), 0)::bigint AS from_customer,
               coalesce(sum(from_agent), 0)::bigint AS from_agent,
               coalesce(sum(from_bot), 0)::bigint AS from_bot,
               coalesce(sum(from_system), 0)::bigint AS from_system,
               coalesce(sum(redacted_entities), 0)::bigint AS redacted_entities
        FROM (
            SELECT {{RawColumns}}
            {{EdgeRows}}
            UNION ALL
            SELECT r.bucket_start, r.interaction_id, r.messages, r.from_customer, r.from_agent, r.from_bot, r.from_system, r.redacted_entities
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND ((r.bucket_start >= @RollupStart AND r.bucket_start < @HourStart) OR (r.bucket_start >= @HourEnd AND r.bucket_start < @RollupEnd))
            UNION ALL
            SELECT h.bucket_start, NULL, h.messages, h.from_customer, h.from_agent, h.from_bot, h.from_system, h.redacted_entities
            FROM message_rollup_1h_total h
            WHERE h.provider_id = @ProviderId AND h.bucket_start >= @HourStart AND h.bucket_start < @HourEnd
        ) src
        GROUP BY GROUPING SETS ((1), ());

        SELECT m.sent_at AS at, m.interaction_id
        {{EdgeRows}}
        UNION ALL
        SELECT r.bucket_start, r.interaction_id
        FROM message_rollup_15m r
        WHERE r.provider_id = @ProviderId AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
        """;

    /// <summary>
    /// Reads <see cref="HourlyRollupSql"/>: the counts per bucket and in total, then the (time, interaction) rows, whose
    /// distinct interactions per bucket and in total complete them (perInteraction = total ÷ interactions, float8 as in SQL).
    /// </summary>
    private static async Task<IReadOnlyList<Row>> CountDistinctAsync(NpgsqlConnection connection, DynamicParameters parameters, DateTime[] bounds,
        CancellationToken ct)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(HourlyRollupSql, parameters, cancellationToken: ct));
        var counts = new List<Row>();
        var parse = reader.GetRowParser<Row>();
        while (await reader.ReadAsync(ct))
            counts.Add(parse(reader));
        await reader.NextResultAsync(ct);
        var perBucket = new Dictionary<int, HashSet<long>>();
        var all = new HashSet<long>();
        while (await reader.ReadAsync(ct))
        {
            var bucket = BucketPlan.WidthBucket(bounds, reader.GetDateTime(0));
            var interaction = reader.GetInt64(1);
            if (!perBucket.TryGetValue(bucket, out var inBucket))
                perBucket[bucket] = inBucket = [];
            inBucket.Add(interaction);
            all.Add(interaction);
        }
        return counts.Select(c =>
        {
            long interactions = c.Bucket is { } b ? perBucket.GetValueOrDefault(b)?.Count ?? 0 : all.Count;
            return c with { Interactions = interactions, PerInteraction = interactions == 0 ? null : (double)c.Total / interactions };
        }).ToList();
    }

    /// <summary>
    /// Rollup path with a filter: rows whose interaction currently matches (a semi-join on the provider's interactions,
    /// hashed once, instead of a lookup per row into every monthly partition); unknown interactions match nothing.
    /// </summary>
    private const string RollupSql = $$"""
        WITH matched AS (
            SELECT i.interaction_id FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND {{InteractionFilters.OnInteraction}}
        ),
        src AS (
            SELECT {{RawColumns}}
            {{EdgeRows}}
              AND m.interaction_id IN (SELECT interaction_id FROM matched)
            UNION ALL
            SELECT {{RollupColumns}}
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
              AND r.interaction_id IN (SELECT interaction_id FROM matched)
        )
        {{Aggregate}}
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        var filtered = InteractionFilters.Any(r);
        var sql = split switch
        {
            null => filtered ? Sql : UnfilteredSql,
            _ when filtered => RollupSql,
            { HasHours: true } => HourlyRollupSql,
            _ => UnfilteredRollupSql,
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        var parameters = InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            split?.HourStart,
            split?.HourEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
        });
        if (sql == HourlyRollupSql)
            return await CountDistinctAsync(connection, parameters, plan.Bounds, ct);
        return (await connection.QueryAsync<Row>(new CommandDefinition(sql, parameters, cancellationToken: ct))).AsList();
    }
}
