using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.TopWords;

public static class Data
{
    /// <summary>
    /// Only the redacted text leaves the database; the tokenising and counting is done by <see cref="Tokenizer"/> in one pass
    /// over the reader (see docs/metrics/TopWords.md for why not regexp_matches in SQL: exactness across locales, and speed).
    /// </summary>
    private const string Sql = $$"""
        -- words of redacted message text (SPEC §5 row 13, §7), messages attributed by sentAt (SPEC §4)
        SELECT m.text
        FROM messages m
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
          AND (@SenderType = 'all' OR m.sender_type = @SenderType)
          AND (@Unfiltered OR EXISTS (
                SELECT 1 FROM interactions i
                WHERE i.provider_id = @ProviderId AND i.interaction_id = m.interaction_id
                  AND {{InteractionFilters.OnInteraction}}))
        """;

    /// <summary>True when the call names no interaction filter.</summary>
    public static bool Unfiltered(Request r) =>
        (r.Channel?.Length ?? 0) + (r.InteractionType?.Length ?? 0) + (r.QueueId?.Length ?? 0) + (r.AgentId?.Length ?? 0) + (r.BotId?.Length ?? 0) == 0;

    public static async Task<Tokenizer> CountAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, string senderType, Request r, CancellationToken ct)
    {
        string[] channels = r.Channel ?? [], types = r.InteractionType ?? [];
        long[] queues = r.QueueId ?? [], agents = r.AgentId ?? [], bots = r.BotId ?? [];
        var tokenizer = new Tokenizer();
        await using var connection = await db.OpenConnectionAsync(ct);
        await foreach (var text in connection.QueryUnbufferedAsync<string>(Sql, new
        {
            ProviderId = providerId,
            plan.Start,
            plan.End,
            SenderType = senderType,
            Unfiltered = Unfiltered(r),
            Channels = channels,
            InteractionTypes = types,
            QueueIds = queues,
            AgentIds = agents,
            BotIds = bots,
        }).WithCancellation(ct))
            tokenizer.Add(text);
        return tokenizer;
    }
}
