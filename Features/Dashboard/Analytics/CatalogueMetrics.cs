namespace KoopidDashboard.Features.Dashboard.Analytics;

/// <summary>The metric list of the catalogue. Definitions quote SPEC §4; each SQL fragment is one aggregate over its source.</summary>
public static partial class Catalogue
{
    private const string Count = "count", Seconds = "seconds", Ratio = "ratio 0..1", Score = "sentiment −1..1", CsatUnit = "csat 1..5";

    public static readonly IReadOnlyList<Metric> Metrics =
    [
        // Interaction metrics: attributed to the bucket holding startedAt (SPEC §4).
        new("started", Count, "interactions with startedAt in the bucket", Sources.Interactions, "count(*)", true),
        new("botOnly", Count, "interactions a bot handled that never reached a queue (botId, no queuedAt, no answeredAt)", Sources.Interactions,
            "count(*) FILTER (WHERE i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL)", true),
        new("uniqueCustomers", Count, "distinct customers of the interactions started in the bucket", Sources.Interactions,
            "count(DISTINCT i.customer_id)", true),
        new("durationSecondsAvg", Seconds, "durationSeconds (avg): endedAt − startedAt over ended interactions", Sources.Interactions,
            "avg(extract(epoch FROM i.ended_at - i.started_at)) FILTER (WHERE i.ended_at IS NOT NULL)", false),
        new("sentimentScored", Count, "interactions that carry a sentiment", Sources.Interactions, "count(i.sentiment)", true),
        new("avgSentiment", Score, "mean sentiment (−1..1) of the interactions that carry one", Sources.Interactions, "avg(i.sentiment)", false),
        new("sentimentNegative", Count, "interactions with sentiment < −0.25", Sources.Interactions, "count(*) FILTER (WHERE i.sentiment < -0.25)", true),
        new("sentimentNeutral", Count, "interactions with sentiment from −0.25 to 0.25 (inclusive)", Sources.Interactions,
            "count(*) FILTER (WHERE i.sentiment BETWEEN -0.25 AND 0.25)", true),
        new("sentimentPositive", Count, "interactions with sentiment > 0.25", Sources.Interactions, "count(*) FILTER (WHERE i.sentiment > 0.25)", true),
        new("csatResponses", Count, "interactions that carry a csat score (1..5)", Sources.Interactions, "count(i.csat)", true),
        new("avgCsat", CsatUnit, "mean csat (1..5) of the interactions that carry one", Sources.Interactions, "avg(i.csat)", false),
        new("csatSatisfied", Count, "csat responses of 4 or 5", Sources.Interactions, "count(*) FILTER (WHERE i.csat >= 4)", true),
        new("csatSatisfiedRate", Ratio, "csatSatisfied ÷ csatResponses", Sources.Interactions,
            "(count(*) FILTER (WHERE i.csat >= 4))::float8 / nullif(count(i.csat), 0)", false),
        new("csat1", Count, "csat responses of 1", Sources.Interactions, "count(*) FILTER (WHERE i.csat = 1)", true),
        new("csat2", Count, "csat responses of 2", Sources.Interactions, "count(*) FILTER (WHERE i.csat = 2)", true),
        new("csat3", Count, "csat responses of 3", Sources.Interactions, "count(*) FILTER (WHERE i.csat = 3)", true),
        new("csat4", Count, "csat responses of 4", Sources.Interactions, "count(*) FILTER (WHERE i.csat = 4)", true),
        new("csat5", Count, "csat responses of 5", Sources.Interactions, "count(*) FILTER (WHERE i.csat = 5)", true),

        // Queue metrics: attributed to the bucket holding queuedAt (SPEC §4).
        new("offered", Count, "interactions with queuedAt in the bucket", Sources.Queued, "count(*)", true),
        new("answered", Count, "offered with answeredAt", Sources.Queued, "count(*) FILTER (WHERE i.answered_at IS NOT NULL)", true),
        new("abandoned", Count, "offered with abandonedAt and no answeredAt", Sources.Queued,
            "count(*) FILTER (WHERE i.abandoned_at IS NOT NULL AND i.answered_at IS NULL)", true),
        new("serviceLevel", Ratio, "answered within threshold ÷ offered; threshold = the queue's serviceLevelSeconds (60 for an unknown queue), wait ≤ threshold",
            Sources.Queued, "(count(*) FILTER (WHERE i.answered_at IS NOT NULL AND extract(epoch FROM i.answered_at - i.queued_at) <= coalesce(q.service_level_seconds, 60)))::float8 / nullif(count(*), 0)", false),
        new("abandonRate", Ratio, "abandoned ÷ offered", Sources.Queued,
            "(count(*) FILTER (WHERE i.abandoned_at IS NOT NULL AND i.answered_at IS NULL))::float8 / nullif(count(*), 0)", false),
        .. DurationMetrics(Sources.Wait),
        new("abandonSecondsAvg", Seconds, "abandonSeconds (avg): abandonedAt − queuedAt over abandoned", Sources.Queued,
            "avg(extract(epoch FROM i.abandoned_at - i.queued_at)) FILTER (WHERE i.abandoned_at IS NOT NULL AND i.answered_at IS NULL)", false),

        // Agent work: attributed to the bucket holding answeredAt (when the agent's work starts), as AgentSessionStats does.
        new("handled", Count, "interactions with answeredAt in the bucket (an agent accepted them)", Sources.Answered, "count(*)", true),
        .. DurationMetrics(Sources.Handle),
        .. DurationMetrics(Sources.FirstResponse),

        // Message metrics: attributed to the bucket holding sentAt (SPEC §4).
        new("messages", Count, "messages with sentAt in the bucket", Sources.Messages, "count(*)", true),
        new("messagesFromCustomer", Count, "messages with senderType customer", Sources.Messages, "count(*) FILTER (WHERE m.sender_type = 'customer')", true),
        new("messagesFromAgent", Count, "messages with senderType agent", Sources.Messages, "count(*) FILTER (WHERE m.sender_type = 'agent')", true),
        new("messagesFromBot", Count, "messages with senderType bot", Sources.Messages, "count(*) FILTER (WHERE m.sender_type = 'bot')", true),
        new("messagesFromSystem", Count, "messages with senderType system", Sources.Messages, "count(*) FILTER (WHERE m.sender_type = 'system')", true),
        new("redactedEntities", Count, "entities the redactor replaced in those messages", Sources.Messages,
            "coalesce(sum(cardinality(m.redacted_entities)), 0)", true),

        // Bot-session metrics: attributed to the bucket holding the session's startedAt (SPEC §4).
        new("botSessions", Count, "bot sessions with startedAt in the bucket", Sources.BotSessions, "count(*)", true),
        new("botContained", Count, "bot sessions with outcome contained (no agent needed)", Sources.BotSessions,
            "count(*) FILTER (WHERE b.outcome = 'contained')", true),
        new("botEscalated", Count, "bot sessions with outcome escalated", Sources.BotSessions, "count(*) FILTER (WHERE b.outcome = 'escalated')", true),
        new("containmentRate", Ratio, "contained ÷ bot sessions", Sources.BotSessions,
            "(count(*) FILTER (WHERE b.outcome = 'contained'))::float8 / nullif(count(*), 0)", false),
    ];

    /// <summary>avg, max and exact percentiles (percentile_cont, linear interpolation) of a duration, over its samples.</summary>
    private static IEnumerable<Metric> DurationMetrics(DurationFamily f)
    {
        var over = $"FILTER (WHERE {f.SampleSql})";
        yield return new($"{f.Name}Avg", Seconds, $"{f.Name} (avg): {f.Definition}", f.Source, $"avg({f.ValueSql}) {over}", false);
        yield return new($"{f.Name}Max", Seconds, $"{f.Name} (max): {f.Definition}", f.Source, $"max({f.ValueSql}) {over}", false);
        foreach (var p in new[] { 50, 90, 95, 99 })
            yield return new($"{f.Name}P{p}", Seconds, $"{f.Name} (p{p}, exact): {f.Definition}", f.Source,
                $"percentile_cont(0.{p}) WITHIN GROUP (ORDER BY {f.ValueSql}) {over}", false);
    }
}
