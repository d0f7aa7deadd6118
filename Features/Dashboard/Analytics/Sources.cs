namespace KoopidDashboard.Features.Dashboard.Analytics;

/// <summary>
/// The fact sets of the catalogue (a class of their own so they are initialised before the metric list that uses them).
/// Every FROM clause, column and expression is a constant: no request text reaches the SQL.
/// </summary>
public static class Sources
{
    private static readonly Dictionary<string, string> InteractionDimensions = new()
    {
        [Catalogue.Channel] = "i.channel", [Catalogue.InteractionType] = "i.interaction_type", [Catalogue.QueueId] = "i.queue_id", [Catalogue.AgentId] = "i.agent_id",
        [Catalogue.BotId] = "i.bot_id", [Catalogue.Intent] = "i.intent", [Catalogue.Topic] = "i.topic",
    };

    public static readonly Source Interactions = new("interactions", "interactions i", "i.provider_id", "i.started_at", "startedAt",
        InteractionDimensions);

    public static readonly Source Queued = new("queued interactions",
        "interactions i LEFT JOIN queues q ON q.provider_id = i.provider_id AND q.queue_id = i.queue_id",
        "i.provider_id", "i.queued_at", "queuedAt", InteractionDimensions);

    public static readonly Source Answered = new("answered interactions", """
        interactions i
        LEFT JOIN LATERAL (
            SELECT min(m.sent_at) AS first_agent_at FROM messages m
            WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id AND m.sender_type = 'agent'
        ) fr ON true
        """, "i.provider_id", "i.answered_at", "answeredAt", InteractionDimensions);

    /// <summary>Messages carry the dimensions of their interaction (agentId = the interaction's agent, not the sender).</summary>
    public static readonly Source Messages = new("messages",
        "messages m LEFT JOIN interactions i ON i.provider_id = m.provider_id AND i.interaction_id = m.interaction_id",
        "m.provider_id", "m.sent_at", "sentAt", InteractionDimensions);

    /// <summary>Bot sessions run before any queue or agent: they cannot be grouped or filtered by queueId or agentId.</summary>
    public static readonly Source BotSessions = new("bot sessions",
        "bot_sessions b LEFT JOIN interactions i ON i.provider_id = b.provider_id AND i.interaction_id = b.interaction_id",
        "b.provider_id", "b.started_at", "startedAt (of the bot session)", new Dictionary<string, string>
        {
            [Catalogue.Channel] = "i.channel", [Catalogue.InteractionType] = "i.interaction_type", [Catalogue.BotId] = "b.bot_id", [Catalogue.Intent] = "i.intent", [Catalogue.Topic] = "i.topic",
        });

    public static readonly DurationFamily Wait = new("waitSeconds", "answeredAt − queuedAt over answered", Queued,
        "extract(epoch FROM i.answered_at - i.queued_at)::float8", "i.answered_at IS NOT NULL");

    public static readonly DurationFamily Handle = new("handleSeconds", "endedAt − answeredAt over answered interactions that ended", Answered,
        "extract(epoch FROM i.ended_at - i.answered_at)::float8", "i.ended_at IS NOT NULL");

    public static readonly DurationFamily FirstResponse = new("firstResponseSeconds",
        "first agent message sentAt − answeredAt over answered interactions with an agent message", Answered,
        "extract(epoch FROM fr.first_agent_at - i.answered_at)::float8", "fr.first_agent_at IS NOT NULL");

}
