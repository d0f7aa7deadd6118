using System.Text.Json;
using KoopidDashboard.Infrastructure.Redaction;

namespace KoopidDashboard.Features.Ingest;

/// <summary>One row bound for one table, remembering the input line it came from.</summary>
public sealed record IngestRow(IngestTable Table, object?[] Values, int Line)
{
    public long ProviderId => (long)Values[0]!;

    /// <summary>The primary key: provider_id and, for every table but providers, the entity id.</summary>
    public (long ProviderId, long Id) Key => (ProviderId, Table.KeyCount > 1 ? (long)Values[1]! : 0);
}

/// <summary>
/// Turns one event (docs/ingest.md) into the rows it writes. Message text is redacted here, before anything
/// is stored or logged; the raw text becomes a row only when <c>Redaction:StoreRaw</c> is on.
/// </summary>
public sealed class EventParser(Redactor redactor, bool storeRaw)
{
    public static readonly IReadOnlySet<string> Channels = new HashSet<string>(StringComparer.Ordinal)
        { "webchat", "sms", "whatsapp", "facebook", "apple", "email", "voice", "video" };
    public static readonly IReadOnlySet<string> InteractionTypes = new HashSet<string>(StringComparer.Ordinal)
        { "chat", "voice", "video", "email", "sms", "social" };
    public static readonly IReadOnlySet<string> SenderTypes = new HashSet<string>(StringComparer.Ordinal)
        { "customer", "agent", "bot", "system" };
    public static readonly IReadOnlySet<string> BotOutcomes = new HashSet<string>(StringComparer.Ordinal)
        { "contained", "escalated", "abandoned" };

    private const int MaxMessageText = 20_000;

    public IReadOnlyList<IngestRow> Parse(JsonElement json, int line)
    {
        if (json.ValueKind != JsonValueKind.Object)
            throw new IngestLineException("an event must be a JSON object");
        var f = new EventFields(json);
        var type = f.Text("type", 40);
        var providerId = f.Id("providerId");
        return type switch
        {
            "provider" => One(IngestTables.Providers, line, providerId, f.Text("name"), TimeZone(f.Text("timeZone", 64))),
            "agent" => One(IngestTables.Agents, line, providerId, f.Id("agentId"), f.Text("name")),
            "queue" => One(IngestTables.Queues, line, providerId, f.Id("queueId"), f.Text("name"), f.OptionalInt("serviceLevelSeconds", 1, 86_400)),
            "bot" => One(IngestTables.Bots, line, providerId, f.Id("botId"), f.Text("name")),
            "customer" => One(IngestTables.Customers, line, providerId, f.Id("customerId"), f.OptionalText("name")),
            "endpoint" => One(IngestTables.Endpoints, line, providerId, f.Id("endpointId"), f.Id("customerId"),
                f.OneOf("channel", Channels), f.Text("address", 320)),
            "interaction" => Interaction(f, line, providerId),
            "message" => Message(f, line, providerId),
            "agentSession" => AgentSession(f, line, providerId),
            "botSession" => BotSession(f, line, providerId),
            _ => throw new IngestLineException($"unknown event type '{(type.Length > 40 ? type[..40] : type)}'"),
        };
    }

    private static IngestRow[] Interaction(EventFields f, int line, long providerId)
    {
        var startedAt = f.Time("startedAt");
        var endedAt = f.OptionalTime("endedAt");
        var queuedAt = f.OptionalTime("queuedAt");
        var answeredAt = f.OptionalTime("answeredAt");
        var abandonedAt = f.OptionalTime("abandonedAt");
        NotBefore(endedAt, startedAt, "endedAt", "startedAt");
        NotBefore(answeredAt, queuedAt, "answeredAt", "queuedAt");
        NotBefore(abandonedAt, queuedAt, "abandonedAt", "queuedAt");
        return One(IngestTables.Interactions, line, providerId, f.Id("interactionId"), f.OptionalId("customerId"),
            f.OneOf("channel", Channels), f.OneOf("interactionType", InteractionTypes), startedAt, endedAt,
            f.OptionalId("queueId"), queuedAt, answeredAt, abandonedAt, f.OptionalId("agentId"), f.OptionalId("botId"),
            f.OptionalText("outcome", 50), f.OptionalText("intent", 100), f.OptionalText("topic", 100),
            f.OptionalDouble("sentiment", -1, 1), (short?)f.OptionalInt("csat", 1, 5));
    }

    private IngestRow[] Message(EventFields f, int line, long providerId)
    {
        var messageId = f.Id("messageId");
        var interactionId = f.Id("interactionId");
        var sentAt = f.Time("sentAt");
        var senderType = f.OneOf("senderType", SenderTypes);
        var senderId = f.OptionalId("senderId");
        var raw = f.Text("text", MaxMessageText);
        var redacted = redactor.Redact(raw);
        var message = new IngestRow(IngestTables.Messages,
            [providerId, messageId, interactionId, sentAt, senderType, senderId, redacted.Text, redacted.EntityTypes.ToArray()], line);
        return storeRaw
            ? [message, new IngestRow(IngestTables.MessagesRaw, [providerId, messageId, raw], line)]
            : [message];
    }

    private static IngestRow[] AgentSession(EventFields f, int line, long providerId)
    {
        var loginAt = f.Time("loginAt");
        var logoutAt = f.OptionalTime("logoutAt");
        NotBefore(logoutAt, loginAt, "logoutAt", "loginAt");
        return One(IngestTables.AgentSessions, line, providerId, f.Id("sessionId"), f.Id("agentId"), loginAt, logoutAt);
    }

    private static IngestRow[] BotSession(EventFields f, int line, long providerId)
    {
        var startedAt = f.Time("startedAt");
        var endedAt = f.OptionalTime("endedAt");
        NotBefore(endedAt, startedAt, "endedAt", "startedAt");
        return One(IngestTables.BotSessions, line, providerId, f.Id("botSessionId"), f.Id("botId"), f.OptionalId("interactionId"),
            f.OptionalId("customerId"), startedAt, endedAt, f.OptionalOneOf("outcome", BotOutcomes), f.OptionalInt("turns", 0, 100_000));
    }

    private static IngestRow[] One(IngestTable table, int line, params object?[] values) => [new IngestRow(table, values, line)];

    private static void NotBefore(DateTime? later, DateTime? earlier, string laterName, string earlierName)
    {
        if (later is { } l && earlier is { } e && l < e)
            throw new IngestLineException($"{laterName} is before {earlierName}");
    }

    private static string TimeZone(string id) =>
        (id == "UTC" || id.Contains('/')) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _)
            ? id
            : throw new IngestLineException($"timeZone '{id}' is not an IANA time zone such as America/New_York");
}
