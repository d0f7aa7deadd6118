using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.ConversationStats;

public static class Data
{
    /// <summary>The placeholders of SPEC §7: always present in redactedEntitiesByType (0 when none), so CSV columns are stable.</summary>
    public static IReadOnlyList<string> EntityTypes => Infrastructure.Redaction.EntityTypes.ReportOrder;

    /// <summary>Per type, <paramref name="item"/> of the type and its hourly rollup column, joined by <paramref name="separator"/>.</summary>
    private static string PerType(Func<string, string, string> item, string separator = ", ") =>
        string.Join(separator, EntityTypes.Select(t => item(t, Infrastructure.Redaction.EntityTypes.RollupColumn(t))));

    /// <summary>Rows of the three queries; <c>bucket</c> is the width_bucket number, NULL on a totals row (GROUPING SETS).</summary>
    public sealed record ConversationRow(int? Bucket, long Conversations, double? MessagesPerConversationAvg, double? DurationSecondsAvg, double? SentimentAvg);

    public sealed record MessageRow(int? Bucket, long Messages, long RedactedEntities);

    public sealed record EntityRow(int? Bucket, string EntityType, long Occurrences);

    /// <summary>The raw-row path (also the answer when rollups are off).</summary>
    private const string Sql = """
        -- A conversation is an interaction (SPEC §4), attributed to the day holding startedAt.
        SELECT width_bucket(i.started_at, @Bounds) AS bucket,
               -- conversations: interactions with startedAt in the day
               count(*) AS conversations,
               -- messagesPerConversationAvg: mean over those conversations of their message count (all their messages, 0 included)
               avg(mc.messages)::float8 AS messages_per_conversation_avg,
               -- durationSecondsAvg: endedAt − startedAt over ended conversations (SPEC §4 durationSeconds)
               (avg(extract(epoch FROM i.ended_at - i.started_at)) FILTER (WHERE i.ended_at IS NOT NULL))::float8 AS duration_seconds_avg,
               -- sentimentAvg: mean interaction sentiment (−1..1) over conversations that have one
               -- exact numeric mean (order-independent), so every plan and both paths give the same float8
               avg(i.sentiment::numeric)::float8 AS sentiment_avg
        FROM interactions i
        CROSS JOIN LATERAL (
            SELECT count(*) AS messages FROM messages m
            WHERE m.provider_id = @ProviderId AND m.interaction_id = i.interaction_id) mc
        WHERE i.provider_id = @ProviderId
          AND i.started_at >= @Start AND i.started_at < @End
        GROUP BY GROUPING SETS ((1), ());

        -- Message metrics are attributed to the day holding sentAt (SPEC §4).
        SELECT width_bucket(m.sent_at, @Bounds) AS bucket,
               -- messages: messages with sentAt in the day
               count(*) AS messages,
               -- redactedEntities: placeholders the redactor put into those messages (SPEC §7)
               coalesce(sum(cardinality(m.redacted_entities)), 0) AS redacted_entities
        FROM messages m
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
        GROUP BY GROUPING SETS ((1), ());

        """ + EntitiesSql;

    /// <summary>redactedEntitiesByType: the same placeholders counted per entity type (both paths).</summary>
    private const string EntitiesSql = """
        -- redactedEntitiesByType: the same placeholders counted per entity type
        SELECT width_bucket(m.sent_at, @Bounds) AS bucket, e.entity_type, count(*) AS occurrences
        FROM messages m
        CROSS JOIN LATERAL unnest(m.redacted_entities) AS e(entity_type)
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
          AND cardinality(m.redacted_entities) > 0 -- messages without entities add nothing; lets messages_with_entities answer
        GROUP BY GROUPING SETS ((1, 2), (2));
        """;

    /// <summary>
    /// The rollup path (docs/performance.md "ConversationStats from the rollups"): whole UTC hours from the hourly totals
    /// (<see cref="RollupSplit.HasHours"/>, else an empty hour range), the other whole 15-minute steps from the 15-minute
    /// tables, the partial edges raw. Conversations by startedAt: count, message count (each interaction's stored count,
    /// kept by ingest, summed as measure messages), duration and sentiment sums; ÷ their sample counts, exactly the raw
    /// path's avg(). Messages and redactedEntities by sentAt. Entities per type: the hourly tier's per-type columns for
    /// whole hours, the messages carrying any (partial index) for the rest.
    /// </summary>
    private static readonly string RollupSql = $$"""
        WITH src AS (
            SELECT i.started_at AS at, 1 AS interactions, i.message_count AS messages,
                   (i.ended_at IS NOT NULL)::int AS duration_n,
                   CASE WHEN i.ended_at IS NOT NULL THEN extract(epoch FROM i.ended_at - i.started_at) END AS duration_sum,
                   (i.sentiment IS NOT NULL)::int AS sentiment_n, i.sentiment::numeric AS sentiment_sum
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND ((i.started_at >= @Start AND i.started_at < @RollupStart) OR (i.started_at >= @RollupEnd AND i.started_at < @End))
            UNION ALL
            SELECT r.bucket_start, r.interactions, r.messages, r.duration_n, r.duration_sum, r.sentiment_n, r.sentiment_sum
            FROM interaction_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND ((r.bucket_start >= @RollupStart AND r.bucket_start < @HourStart) OR (r.bucket_start >= @HourEnd AND r.bucket_start < @RollupEnd))
            UNION ALL
            SELECT h.bucket_start, h.interactions, h.messages, h.duration_n, h.duration_sum, h.sentiment_n, h.sentiment_sum
            FROM interaction_rollup_1h_total h
            WHERE h.provider_id = @ProviderId AND h.bucket_start >= @HourStart AND h.bucket_start < @HourEnd
        ),
        -- summed per bucket first, so the totals row adds a few hundred partial sums (numeric addition is exact)
        per_bucket AS (
            SELECT width_bucket(at, @Bounds) AS bucket, sum(interactions) AS interactions, sum(messages) AS messages,
                   sum(duration_n) AS duration_n, sum(duration_sum) AS duration_sum, sum(sentiment_n) AS sentiment_n, sum(sentiment_sum) AS sentiment_sum
            FROM src
            GROUP BY 1
        )
        SELECT bucket,
               coalesce(sum(interactions), 0)::bigint AS conversations,
               (sum(messages)::numeric / nullif(sum(interactions), 0))::float8 AS messages_per_conversation_avg,
               (sum(duration_sum) / nullif(sum(duration_n), 0))::float8 AS duration_seconds_avg,
               (sum(sentiment_sum) / nullif(sum(sentiment_n), 0))::float8 AS sentiment_avg
        FROM per_bucket
        GROUP BY GROUPING SETS ((1), ());

        SELECT width_bucket(at, @Bounds) AS bucket, coalesce(sum(messages), 0)::bigint AS messages,
               coalesce(sum(redacted_entities), 0)::bigint AS redacted_entities
        FROM (
            SELECT m.sent_at AS at, 1 AS messages, cardinality(m.redacted_entities) AS redacted_entities
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
            UNION ALL
            SELECT r.bucket_start, r.messages, r.redacted_entities
            FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND ((r.bucket_start >= @RollupStart AND r.bucket_start < @HourStart) OR (r.bucket_start >= @HourEnd AND r.bucket_start < @RollupEnd))
            UNION ALL
            SELECT h.bucket_start, h.messages, h.redacted_entities
            FROM message_rollup_1h_total h
            WHERE h.provider_id = @ProviderId AND h.bucket_start >= @HourStart AND h.bucket_start < @HourEnd
        ) x
        GROUP BY GROUPING SETS ((1), ());

        -- per type: summed per day first (a row per day, a column per type), then one row per day and type with any
        WITH per_bucket AS (
            SELECT width_bucket(at, @Bounds) AS bucket, {{PerType((_, c) => $"sum({c}) AS {c}")}}
            FROM (
                SELECT m.sent_at AS at,
                       {{PerType((t, c) => $"cardinality(array_positions(m.redacted_entities, '{t}')) AS {c}")}}
                FROM messages m
                WHERE m.provider_id = @ProviderId
                  AND ((m.sent_at >= @Start AND m.sent_at < @HourStart) OR (m.sent_at >= @HourEnd AND m.sent_at < @End))
                  AND cardinality(m.redacted_entities) > 0
                UNION ALL
                SELECT h.bucket_start, {{PerType((_, c) => "h." + c)}}
                FROM message_rollup_1h_total h
                WHERE h.provider_id = @ProviderId AND h.bucket_start >= @HourStart AND h.bucket_start < @HourEnd
            ) x
            GROUP BY 1
        )
        SELECT b.bucket, e.entity_type, sum(e.occurrences)::bigint AS occurrences
        FROM per_bucket b
        CROSS JOIN LATERAL (VALUES {{PerType((t, c) => $"('{t}', b.{c})")}}) AS e(entity_type, occurrences)
        WHERE e.occurrences > 0
        GROUP BY GROUPING SETS ((1, 2), (2));
        """;

    public static async Task<(List<ConversationRow> Conversations, List<MessageRow> Messages, List<EntityRow> Entities)> QueryAsync(
        NpgsqlDataSource db, long providerId, BucketPlan plan, RollupSplit? split, CancellationToken ct)
    {
        // no whole hour (or unaligned day bounds): an empty hour range at RollupEnd, so the 15-minute rows cover the rollup range
        var hours = RollupSplit.HoursFor(split, coarse: true);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(split is null ? Sql : RollupSql,
            new { ProviderId = providerId, plan.Bounds, plan.Start, plan.End, split?.RollupStart, split?.RollupEnd, HourStart = hours.Start, HourEnd = hours.End },
            cancellationToken: ct));
        var conversations = (await results.ReadAsync<ConversationRow>()).AsList();
        var messages = (await results.ReadAsync<MessageRow>()).AsList();
        var entities = (await results.ReadAsync<EntityRow>()).AsList();
        return (conversations, messages, entities);
    }
}
