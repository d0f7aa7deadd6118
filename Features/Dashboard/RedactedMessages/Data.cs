using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.RedactedMessages;

/// <summary>Redacted messages in keyset order; RedactedMessagesWithPlot reads its extractedMessages here too.</summary>
public static class Data
{
    private const string Sql = """
        SELECT m.message_id,
               m.sent_at AS sent_at_exact,
               m.sender_type,
               m.sender_id,
               -- sender name: the agent or bot that sent it (the interaction's agent/bot when the message names no sender id);
               -- customer names are personal data and are never returned
               CASE m.sender_type WHEN 'agent' THEN coalesce(sa.name, ia.name) WHEN 'bot' THEN coalesce(sb.name, ib.name) END AS sender_name,
               -- only the redacted text is stored (SPEC §7)
               m.text,
               i.sentiment, i.topic, i.intent,
               -- workflow: the bot and queue that handled the interaction
               i.bot_id, ib.name AS bot_name, i.queue_id, q.name AS queue_name,
               -- session
               m.interaction_id, i.channel,
               m.redacted_entities AS entity_types
        FROM messages m
        LEFT JOIN interactions i ON i.provider_id = m.provider_id AND i.interaction_id = m.interaction_id
        LEFT JOIN agents sa ON m.sender_type = 'agent' AND sa.provider_id = m.provider_id AND sa.agent_id = m.sender_id
        LEFT JOIN agents ia ON ia.provider_id = i.provider_id AND ia.agent_id = i.agent_id
        LEFT JOIN bots sb ON m.sender_type = 'bot' AND sb.provider_id = m.provider_id AND sb.bot_id = m.sender_id
        LEFT JOIN bots ib ON ib.provider_id = i.provider_id AND ib.bot_id = i.bot_id
        LEFT JOIN queues q ON q.provider_id = i.provider_id AND q.queue_id = i.queue_id
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
          -- keyset: strictly after the last row already returned (index messages_by_sent), so no row repeats or is skipped
          AND (m.sent_at, m.message_id) > (@AfterSentAt, @AfterMessageId)
        ORDER BY m.sent_at, m.message_id
        """;

    private const string PageSql = Sql + "\nLIMIT @Limit";

    /// <summary>Up to <paramref name="limit"/> rows after the keyset position (or from the range start).</summary>
    public static async Task<List<MessageRow>> PageAsync(NpgsqlDataSource db, long providerId, DateTime start, DateTime end,
        Cursor? after, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<MessageRow>(new CommandDefinition(PageSql, Parameters(providerId, start, end, after, limit), cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Every row of the range after the keyset position, read one at a time (Dapper unbuffered over the Npgsql reader).</summary>
    public static async IAsyncEnumerable<MessageRow> StreamAsync(NpgsqlDataSource db, long providerId, DateTime start, DateTime end,
        Cursor? after, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await foreach (var row in connection.QueryUnbufferedAsync<MessageRow>(Sql, Parameters(providerId, start, end, after, null)).WithCancellation(ct))
            yield return row;
    }

    private static object Parameters(long providerId, DateTime start, DateTime end, Cursor? after, int? limit) => new
    {
        ProviderId = providerId,
        Start = start,
        End = end,
        // Message ids are positive (ingest rule), so (start, 0) precedes every row of the range.
        AfterSentAt = after?.SentAt ?? start,
        AfterMessageId = after?.MessageId ?? 0L,
        Limit = limit,
    };
}
