using NpgsqlTypes;

namespace KoopidDashboard.Features.Ingest;

/// <summary>One column an event writes. Optional columns keep their stored value when an update leaves them out.</summary>
public sealed record IngestColumn(string Name, NpgsqlDbType Type, bool Required = true, string? InsertDefault = null);

/// <summary>
/// The table an event type lands in: key columns first (provider_id leading), then the rest. <paramref name="PartitionBy"/>
/// names the time column of a monthly-partitioned table (docs/performance.md), which is part of its primary key.
/// </summary>
public sealed record IngestTable(string Name, string[] KeyColumns, IngestColumn[] Columns, string? PartitionBy = null)
{
    public int KeyCount => KeyColumns.Length;
}

/// <summary>The schema of SPEC §4 as the ingest pipeline sees it; column order here is the order of a row's values.</summary>
public static class IngestTables
{
    private static IngestColumn Id(string name) => new(name, NpgsqlDbType.Bigint);
    private static IngestColumn Text(string name, bool required = true) => new(name, NpgsqlDbType.Text, required);
    private static IngestColumn Time(string name, bool required = true) => new(name, NpgsqlDbType.TimestampTz, required);
    private static IngestColumn OptionalId(string name) => new(name, NpgsqlDbType.Bigint, Required: false);

    public static readonly IngestTable Providers = new("providers", ["provider_id"], [Id("provider_id"), Text("name"), Text("time_zone")]);
    public static readonly IngestTable Agents = new("agents", ["provider_id", "agent_id"], [Id("provider_id"), Id("agent_id"), Text("name")]);
    public static readonly IngestTable Queues = new("queues", ["provider_id", "queue_id"],
        [Id("provider_id"), Id("queue_id"), Text("name"), new("service_level_seconds", NpgsqlDbType.Integer, Required: false, InsertDefault: "60")]);
    public static readonly IngestTable Bots = new("bots", ["provider_id", "bot_id"], [Id("provider_id"), Id("bot_id"), Text("name")]);
    public static readonly IngestTable Customers = new("customers", ["provider_id", "customer_id"], [Id("provider_id"), Id("customer_id"), Text("name", required: false)]);
    public static readonly IngestTable Endpoints = new("customer_endpoints", ["provider_id", "endpoint_id"],
        [Id("provider_id"), Id("endpoint_id"), Id("customer_id"), Text("channel"), Text("address")]);

    public static readonly IngestTable Interactions = new("interactions", ["provider_id", "interaction_id"],
    [
        Id("provider_id"), Id("interaction_id"), OptionalId("customer_id"), Text("channel"), Text("interaction_type"), Time("started_at"),
        Time("ended_at", false), OptionalId("queue_id"), Time("queued_at", false), Time("answered_at", false), Time("abandoned_at", false),
        OptionalId("agent_id"), OptionalId("bot_id"), Text("outcome", false), Text("intent", false), Text("topic", false),
        new("sentiment", NpgsqlDbType.Double, Required: false), new("csat", NpgsqlDbType.Smallint, Required: false),
    ], PartitionBy: "started_at");

    public static readonly IngestTable Messages = new("messages", ["provider_id", "message_id"],
    [
        Id("provider_id"), Id("message_id"), Id("interaction_id"), Time("sent_at"), Text("sender_type"), OptionalId("sender_id"),
        Text("text"), new("redacted_entities", NpgsqlDbType.Array | NpgsqlDbType.Text),
    ], PartitionBy: "sent_at");

    /// <summary>Written only when <c>Redaction:StoreRaw</c> is true; no endpoint reads it.</summary>
    public static readonly IngestTable MessagesRaw = new("messages_raw", ["provider_id", "message_id"], [Id("provider_id"), Id("message_id"), Text("text")]);

    public static readonly IngestTable AgentSessions = new("agent_sessions", ["provider_id", "session_id"],
        [Id("provider_id"), Id("session_id"), Id("agent_id"), Time("login_at"), Time("logout_at", false)]);

    public static readonly IngestTable BotSessions = new("bot_sessions", ["provider_id", "bot_session_id"],
    [
        Id("provider_id"), Id("bot_session_id"), Id("bot_id"), OptionalId("interaction_id"), OptionalId("customer_id"),
        Time("started_at"), Time("ended_at", false), Text("outcome", false), new("turns", NpgsqlDbType.Integer, Required: false),
    ]);

    /// <summary>
    /// Write order: providers first, because every other row must name a known provider; bot sessions and messages before
    /// interactions, so new interactions take their stored botContained and first agent message from rows already written
    /// (BotContainment, FirstAgentMessages) instead of being written twice.
    /// </summary>
    public static readonly IngestTable[] WriteOrder =
        [Providers, Agents, Queues, Bots, Customers, Endpoints, BotSessions, Messages, MessagesRaw, Interactions, AgentSessions];
}
