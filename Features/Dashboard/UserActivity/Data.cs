using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.UserActivity;

public static class Data
{
    public sealed record Journey
    {
        public bool KnownCustomer { get; init; }
        public DateTime? FirstSeenAt { get; init; }
        public DateTime? LastSeenAt { get; init; }
        public string[] Channels { get; init; } = [];
        public long InteractionCount { get; init; }
    }

    public sealed record Item
    {
        public long InteractionId { get; init; }
        public DateTime StartedAt { get; init; }
        public DateTime? EndedAt { get; init; }
        public string Channel { get; init; } = "";
        public string InteractionType { get; init; } = "";
        public long? QueueId { get; init; }
        public string? QueueName { get; init; }
        public long? AgentId { get; init; }
        public string? AgentName { get; init; }
        public long? BotId { get; init; }
        public string? BotName { get; init; }
        public string? Outcome { get; init; }
        public string? Intent { get; init; }
        public long Messages { get; init; }
        public double? Sentiment { get; init; }
    }

    private const string JourneySql = """
        SELECT EXISTS (SELECT 1 FROM customers c WHERE c.provider_id = @ProviderId AND c.customer_id = @CustomerId) AS known_customer,
               -- firstSeenAt: the earliest startedAt; lastSeenAt: the latest startedAt or endedAt
               min(i.started_at) AS first_seen_at,
               max(greatest(i.started_at, i.ended_at)) AS last_seen_at,
               -- channels used: distinct interaction channels, by name
               coalesce(array_agg(DISTINCT i.channel ORDER BY i.channel) FILTER (WHERE i.channel IS NOT NULL), '{}') AS channels,
               count(i.interaction_id) AS interaction_count
        FROM interactions i
        WHERE i.provider_id = @ProviderId AND i.customer_id = @CustomerId
        """;

    private const string TimelineSql = """
        SELECT i.interaction_id, i.started_at, i.ended_at, i.channel, i.interaction_type,
               i.queue_id, q.name AS queue_name, i.agent_id, a.name AS agent_name, i.bot_id, b.name AS bot_name,
               i.outcome, i.intent, i.sentiment,
               -- messages: all messages of the interaction, whenever sent
               (SELECT count(*) FROM messages m WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id) AS messages
        FROM interactions i
        LEFT JOIN queues q ON q.provider_id = i.provider_id AND q.queue_id = i.queue_id
        LEFT JOIN agents a ON a.provider_id = i.provider_id AND a.agent_id = i.agent_id
        LEFT JOIN bots b ON b.provider_id = i.provider_id AND b.bot_id = i.bot_id
        WHERE i.provider_id = @ProviderId AND i.customer_id = @CustomerId
          AND (NOT @HasCursor OR (i.started_at, i.interaction_id) < (@CursorAt, @CursorId))
        ORDER BY i.started_at DESC, i.interaction_id DESC
        LIMIT @Take
        """;

    public static async Task<(Journey Journey, List<Item> Page)> QueryAsync(NpgsqlDataSource db, long providerId, long customerId,
        TimelineCursor? cursor, int take, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var journey = await connection.QuerySingleAsync<Journey>(new CommandDefinition(JourneySql,
            new { ProviderId = providerId, CustomerId = customerId }, cancellationToken: ct));
        if (!journey.KnownCustomer && journey.InteractionCount == 0)
            return (journey, []);
        var page = await connection.QueryAsync<Item>(new CommandDefinition(TimelineSql, new
        {
            ProviderId = providerId,
            CustomerId = customerId,
            HasCursor = cursor is not null,
            CursorAt = cursor?.StartedAt ?? DateTime.UnixEpoch,
            CursorId = cursor?.InteractionId ?? 0L,
            Take = take,
        }, cancellationToken: ct));
        return (journey, page.AsList());
    }
}
