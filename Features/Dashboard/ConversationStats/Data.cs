using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.ConversationStats;

public static class Data
{
    /// <summary>The placeholders of SPEC §7: always present in redactedEntitiesByType (0 when none), so CSV columns are stable.</summary>
    public static readonly string[] EntityTypes = ["EMAIL", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS", "URL"];

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
    /// The rollup path (docs/performance.md): a conversation's message count is the sum of its message_rollup_15m rows
    /// (every message of the interaction, whenever sent, through the index by interaction); the day's messages and
    /// redactedEntities are whole UTC hours from message_rollup_1h_total when the day bounds are whole hours
    /// (<see cref="RollupSplit.HasHours"/>; message_rollup_15m holds ≈ one row per interaction and step: 33.6 k rows for
    /// 30 days of the bench's big tenant against 720), the other whole 15-minute steps from message_rollup_15m, plus the raw
    /// edges. Per-conversation duration and
    /// sentiment read the day's interactions, which that count needs anyway; entities per type read the messages that carry
    /// any (partial index), as the rollup does not keep types.
    /// </summary>
    private const string RollupSql = """
        SELECT width_bucket(i.started_at, @Bounds) AS bucket,
               count(*) AS conversations,
               avg(mc.messages)::float8 AS messages_per_conversation_avg,
               (avg(extract(epoch FROM i.ended_at - i.started_at)) FILTER (WHERE i.ended_at IS NOT NULL))::float8 AS duration_seconds_avg,
               -- exact numeric mean (order-independent), so every plan and both paths give the same float8
               avg(i.sentiment::numeric)::float8 AS sentiment_avg
        FROM interactions i
        CROSS JOIN LATERAL (
            SELECT coalesce(sum(r.messages), 0)::bigint AS messages FROM message_rollup_15m r
            WHERE r.provider_id = @ProviderId AND r.interaction_id = i.interaction_id) mc
        WHERE i.provider_id = @ProviderId
          AND i.started_at >= @Start AND i.started_at < @End
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

        """ + EntitiesSql;

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
