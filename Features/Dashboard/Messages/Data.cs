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
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
            UNION ALL
            SELECT {{RollupColumns}}
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
        )
        {{Aggregate}}
        """;

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
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
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
        var sql = (split is null, InteractionFilters.Any(r)) switch
        {
            (true, true) => Sql,
            (true, false) => UnfilteredSql,
            (false, true) => RollupSql,
            (false, false) => UnfilteredRollupSql,
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
