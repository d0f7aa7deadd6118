using Dapper;
using KoopidDashboard.Infrastructure.Redaction;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// One additive measure of a rollup: <paramref name="Expression"/> is evaluated per source row (alias <c>x</c>) and summed,
/// as bigint, or as exact <c>numeric</c> when <paramref name="IsNumeric"/> (seconds, sentiment, csat).
/// </summary>
public sealed record RollupMeasure(string Name, string Expression, bool IsNumeric = false);

/// <summary>
/// A dimension of a rollup: a source column, or a column <paramref name="Name"/> computed by <paramref name="Expression"/>
/// over the source row (alias <c>x</c>), e.g. the sender of agent messages only.
/// </summary>
public sealed record RollupDimension(string Name, string? Expression = null)
{
    public static implicit operator RollupDimension(string column) => new(column);

    public string Select => Expression is null ? $"x.{Name}" : $"({Expression}) AS {Name}";
}

/// <summary>
/// A rollup of a source table (docs/performance.md): per provider, UTC bucket of <see cref="Grain"/> (15 minutes unless
/// given; the coarse tier uses 1 hour) of <see cref="TimeColumn"/> and <see cref="Dimensions"/>, the sums of <see cref="Measures"/>. The first measure counts
/// rows; a key whose count falls to 0 is deleted, so the incremental table always equals a rebuild.
/// Sums of seconds are exact <c>numeric</c> (extract(epoch …) has 6 decimals), so sum ÷ count equals PostgreSQL's
/// <c>avg</c> over the raw rows digit for digit. <see cref="Filter"/> (a predicate on <c>x</c>) keeps only the source rows
/// it holds for, e.g. a nullable time column; the delta and the rebuild apply it alike.
/// </summary>
public sealed record RollupDefinition(string Name, IngestTable Source, string TimeColumn, RollupDimension[] Dimensions, RollupMeasure[] Measures, string? Filter = null, TimeSpan? Grain = null)
{
    /// <summary>The bucket width, 15 minutes by default (whole minutes).</summary>
    public TimeSpan Step => Grain ?? TimeSpan.FromMinutes(15);

    /// <summary>date_bin origin: the Unix epoch, so bucket starts are multiples of the step since 1970-01-01T00:00Z.</summary>
    public string BucketOf(string time) => $"date_bin('{(long)Step.TotalMinutes} minutes', {time}, TIMESTAMPTZ '1970-01-01 00:00:00+00')";

    /// <summary>The start of the bucket holding <paramref name="at"/> (UTC).</summary>
    public DateTime BucketStart(DateTime at) => new(at.Ticks - at.Ticks % Step.Ticks, DateTimeKind.Utc);

    public string KeyColumns => string.Join(", ", new[] { "provider_id", "bucket_start" }.Concat(Dimensions.Select(d => d.Name)));
}

public static class Rollups
{
    private static RollupMeasure Seconds(string name, string condition, string from, string to) =>
        new(name + "_sum", $"CASE WHEN {condition} THEN extract(epoch FROM x.{to} - x.{from}) END", IsNumeric: true);

    /// <summary>
    /// Interaction metrics attributed to startedAt (Interactions, InteractionType, Intents, CustomerEndpoint; Summary's
    /// sentiment and csat), by every filter dimension and the intent. Sentiment (float8) is summed as numeric: the slices
    /// average <c>sentiment::numeric</c> on the raw path too, so both paths divide the same exact sum.
    /// </summary>
    public static readonly RollupDefinition Interactions = new("interaction_rollup_15m", IngestTables.Interactions, "started_at",
        ["channel", "interaction_type", "queue_id", "agent_id", "bot_id", "intent"],
        [
            new("interactions", "1"),
            new("answered", "(x.answered_at IS NOT NULL)::int"),
            new("bot_only", "(x.bot_id IS NOT NULL AND x.queued_at IS NULL AND x.answered_at IS NULL)::int"),
            new("abandoned", "(x.abandoned_at IS NOT NULL AND x.answered_at IS NULL)::int"),
            new("wait_n", "(x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL)::int"),
            Seconds("wait", "x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL", "queued_at", "answered_at"),
            new("handle_n", "(x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL)::int"),
            Seconds("handle", "x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL", "answered_at", "ended_at"),
            new("duration_n", "(x.ended_at IS NOT NULL)::int"),
            Seconds("duration", "x.ended_at IS NOT NULL", "started_at", "ended_at"),
            new("sentiment_n", "(x.sentiment IS NOT NULL)::int"),
            new("sentiment_sum", "x.sentiment::numeric", IsNumeric: true),
            new("csat_n", "(x.csat IS NOT NULL)::int"),
            new("csat_sum", "x.csat::numeric", IsNumeric: true),
            // SPEC §4 botContained, stored on the interaction and kept by ingest (BotContainment). Last: the tables'
            // column order is the measures' order.
            new("bot_contained", "x.bot_contained::int"),
            // The interaction's stored messages, whenever sent, kept on it by ingest (MessageCounts): ConversationStats'
            // messagesPerConversationAvg. Last, after bot_contained (migration 0019).
            new(MessageCounts.Measure, "x." + MessageCounts.Column),
            // SPEC §4 firstResponseSeconds over the copy of the interaction's first agent message, kept on it by ingest
            // (FirstAgentMessages): Summary's average. Last, after messages (migration 0025).
            new(FirstAgentMessages.CountMeasure, $"(x.answered_at IS NOT NULL AND x.{FirstAgentMessages.Column} IS NOT NULL)::int"),
            Seconds(FirstAgentMessages.Measures, $"x.answered_at IS NOT NULL AND x.{FirstAgentMessages.Column} IS NOT NULL", "answered_at", FirstAgentMessages.Column),
        ]);

    /// <summary>
    /// Queue metrics attributed to queuedAt (AgentQueueStats; Summary's answered, abandonRate, waitSeconds), by every filter
    /// dimension; interactions never queued are not in it. wait_* over answered, abandon_* over abandoned (SPEC §4).
    /// </summary>
    public static readonly RollupDefinition Queue = new("queue_rollup_15m", IngestTables.Interactions, "queued_at",
        ["channel", "interaction_type", "queue_id", "agent_id", "bot_id"],
        [
            new("offered", "1"),
            new("answered", "(x.answered_at IS NOT NULL)::int"),
            new("abandoned", "(x.abandoned_at IS NOT NULL AND x.answered_at IS NULL)::int"),
            new("wait_n", "(x.answered_at IS NOT NULL)::int"),
            Seconds("wait", "x.answered_at IS NOT NULL", "queued_at", "answered_at"),
            new("abandon_n", "(x.abandoned_at IS NOT NULL AND x.answered_at IS NULL)::int"),
            Seconds("abandon", "x.abandoned_at IS NOT NULL AND x.answered_at IS NULL", "queued_at", "abandoned_at"),
        ],
        Filter: "x.queued_at IS NOT NULL");

    /// <summary>Bot session metrics attributed to startedAt (BotAccessStats), by bot.</summary>
    public static readonly RollupDefinition BotSessions = new("bot_session_rollup_15m", IngestTables.BotSessions, "started_at",
        ["bot_id"],
        [
            new("sessions", "1"),
            new("contained", "(x.outcome = 'contained')::int"),
            new("escalated", "(x.outcome = 'escalated')::int"),
            new("abandoned", "(x.outcome = 'abandoned')::int"),
            new("duration_n", "(x.ended_at IS NOT NULL)::int"),
            Seconds("duration", "x.ended_at IS NOT NULL", "started_at", "ended_at"),
            new("turns_n", "(x.turns IS NOT NULL)::int"),
            new("turns_sum", "x.turns"),
        ]);

    /// <summary>
    /// Message metrics attributed to sentAt (Messages, AgentSessionStats' messagesSent), per interaction (distinct counts over
    /// rollup rows stay exact; the SPEC filters join the interaction's current values at read time) and per agent sender.
    /// </summary>
    public static readonly RollupDefinition Messages = new("message_rollup_15m", IngestTables.Messages, "sent_at",
        ["interaction_id", new("agent_sender_id", "CASE WHEN x.sender_type = 'agent' THEN x.sender_id END")],
        [
            new("messages", "1"),
            new("from_customer", "(x.sender_type = 'customer')::int"),
            new("from_agent", "(x.sender_type = 'agent')::int"),
            new("from_bot", "(x.sender_type = 'bot')::int"),
            new("from_system", "(x.sender_type = 'system')::int"),
            new("redacted_entities", "cardinality(x.redacted_entities)"),
        ]);

    /// <summary>
    /// The coarse tier of <see cref="Interactions"/>: the same measures per UTC hour and interaction type only. A tenant with
    /// a few interactions per step has about one 15-minute row per interaction (every filter dimension is a key), so calls
    /// without filters beyond the type read this instead for their whole UTC hours (<c>RollupSplit.HourStart</c>).
    /// </summary>
    public static readonly RollupDefinition InteractionsHourly = new("interaction_rollup_1h", IngestTables.Interactions, "started_at",
        ["interaction_type"], Interactions.Measures, Grain: TimeSpan.FromHours(1));

    /// <summary>The coarse tier without any dimension, for calls with no filter at all (Interactions): a row per provider and hour.</summary>
    public static readonly RollupDefinition InteractionsHourlyTotal = new("interaction_rollup_1h_total", IngestTables.Interactions, "started_at",
        [], Interactions.Measures, Grain: TimeSpan.FromHours(1));

    /// <summary>
    /// The coarse tier for Intents: per UTC hour and intent, the measures it reads (row count, sentiment, botContained).
    /// Intents calls without filters read it for their whole UTC hours; the 15-minute table holds ≈ one row per interaction.
    /// </summary>
    public static readonly RollupDefinition InteractionsHourlyByIntent = new("interaction_rollup_1h_intent", IngestTables.Interactions, "started_at",
        ["intent"], [.. Interactions.Measures.Where(m => m.Name is "interactions" or "sentiment_n" or "sentiment_sum" or "bot_contained")],
        Grain: TimeSpan.FromHours(1));

    /// <summary>
    /// The coarse tier of <see cref="Messages"/> without any dimension: a row per provider and UTC hour. Counts that need no
    /// distinct interaction and no filter (RedactedMessagesWithPlot's chart, DBStats' message count) read it for whole hours;
    /// the 15-minute table is keyed by interaction and so holds ≈ one row per interaction and step.
    /// </summary>
    public static readonly RollupDefinition MessagesHourlyTotal = new("message_rollup_1h_total", IngestTables.Messages, "sent_at",
        [], [.. Messages.Measures, .. EntityTypeMeasures()], Grain: TimeSpan.FromHours(1));

    /// <summary>
    /// One measure per entity type (<see cref="EntityTypes.ReportOrder"/>, column <see cref="EntityTypes.RollupColumn"/>):
    /// its placeholders in a message (0 for a message without any; null arrays add nothing).
    /// </summary>
    private static IEnumerable<RollupMeasure> EntityTypeMeasures() =>
        EntityTypes.ReportOrder.Select(t => new RollupMeasure(EntityTypes.RollupColumn(t), $"cardinality(array_positions(x.redacted_entities, '{t}'))"));

    /// <summary>
    /// The coarse tier of agent messages by their sender: a row per provider, UTC hour and agent with the messages the
    /// agent sent (sender type agent with a sender id; the rows of <see cref="Messages"/> with an agent_sender_id, summed
    /// per hour and agent). AgentSessionStats' messagesSent without interaction filters reads it for whole hours; the
    /// 15-minute table holds a row per interaction and step.
    /// </summary>
    public static readonly RollupDefinition MessagesHourlyByAgent = new("message_rollup_1h_agent", IngestTables.Messages, "sent_at",
        [new("agent_sender_id", "x.sender_id")], [new("from_agent", "1")],
        Filter: "x.sender_type = 'agent' AND x.sender_id IS NOT NULL", Grain: TimeSpan.FromHours(1));

    /// <summary>
    /// The coarse tier of <see cref="Queue"/> without any dimension: a row per provider and UTC hour of queuedAt. Summary's
    /// queue cards (no filter) read it for whole hours; the 15-minute table holds ≈ one row per queued interaction.
    /// </summary>
    public static readonly RollupDefinition QueueHourlyTotal = new("queue_rollup_1h_total", IngestTables.Interactions, "queued_at",
        [], Queue.Measures, Queue.Filter, Grain: TimeSpan.FromHours(1));

    /// <summary>The coarse tier of <see cref="BotSessions"/> without any dimension (Summary's containmentRate).</summary>
    public static readonly RollupDefinition BotSessionsHourlyTotal = new("bot_session_rollup_1h_total", IngestTables.BotSessions, "started_at",
        [], BotSessions.Measures, Grain: TimeSpan.FromHours(1));

    public static readonly RollupDefinition[] All =
    [
        Interactions, Queue, BotSessions, Messages, InteractionsHourly, InteractionsHourlyTotal, InteractionsHourlyByIntent, MessagesHourlyTotal,
        QueueHourlyTotal, BotSessionsHourlyTotal, MessagesHourlyByAgent,
    ];

    public static RollupDefinition[] Of(IngestTable table) => All.Where(r => r.Source == table).ToArray();

    /// <summary>
    /// The upsert clause that adds a delta row's measures to the stored row of its key (the target aliased <c>r</c>), for
    /// every writer of rollup deltas: the SQL path here and the client sums of <see cref="NewMessages"/>.
    /// </summary>
    internal static string AddToStored(RollupDefinition r) =>
        $"ON CONFLICT ({r.KeyColumns}) DO UPDATE SET {string.Join(", ", r.Measures.Select(m => $"{m.Name} = r.{m.Name} + EXCLUDED.{m.Name}"))}";

    /// <summary>The aggregate SELECT list over source rows aliased <c>x</c>, each row weighted by <paramref name="sign"/> (+1/−1).</summary>
    private static string Aggregates(RollupDefinition r, string sign) => string.Join(",\n       ", r.Measures.Select(m => m.IsNumeric
        ? $"coalesce(sum({sign} * ({m.Expression})), 0) AS {m.Name}"
        : $"coalesce(sum({sign} * ({m.Expression})), 0)::bigint AS {m.Name}"));

    private static string GroupedSelect(RollupDefinition r, string sign) =>
        $"SELECT x.provider_id, {r.BucketOf("x." + r.TimeColumn)} AS bucket_start, "
        + string.Join("", r.Dimensions.Select(d => d.Select + ", "))
        + $"\n       {Aggregates(r, sign)}";

    private static string Where(RollupDefinition r) => r.Filter is null ? "" : "WHERE " + r.Filter;

    private static string GroupBy(RollupDefinition r) => "GROUP BY " + string.Join(", ", Enumerable.Range(1, 2 + r.Dimensions.Length));

    /// <summary>
    /// Applies one table write to its rollups by delta, in the ingest transaction: <c>old_{table}</c> holds the stored rows
    /// before the write, <c>changed_{table}</c> the rows the upsert inserted or changed, as stored (its RETURNING). For
    /// those keys the old rows' contribution is subtracted and the new rows' added; keys whose count reaches 0 are removed.
    /// <paramref name="onlyInserts"/> (an all-new batch, no <c>old_{table}</c>): every delta adds at least one row to its key,
    /// so no count can reach 0; the new rows are grouped straight into the upsert.
    /// </summary>
    public static async Task ApplyDeltaAsync(NpgsqlConnection connection, RollupDefinition r, CancellationToken ct, bool onlyInserts = false)
    {
        var t = r.Source.Name;
        if (onlyInserts)
        {
            // Nothing to subtract and nothing to delete afterwards: group the new rows straight into the upsert, without a
            // delta temp table (creating and dropping one per rollup and batch cost more than the grouping). Every group
            // counts >= 1 row, so none is all zeros. The same sums as the general path (1 * expression).
            await using var insert = new NpgsqlCommand(AddGroupedSql(r, "changed_" + t), connection);
            await insert.ExecuteNonQueryAsync(ct);
            return;
        }
        var keys = string.Join(", ", r.Source.KeyColumns);
        var delta = "delta_" + r.Name;
        var sql = $"""
            CREATE TEMP TABLE {delta} ON COMMIT DROP AS
            {GroupedSelect(r, "x.sign")}
            FROM (SELECT 1 AS sign, n.* FROM changed_{t} n
                  UNION ALL
                  SELECT -1 AS sign, o.* FROM old_{t} o WHERE ({keys}) IN (SELECT {keys} FROM changed_{t})) x
            {Where(r)}
            {GroupBy(r)};

            INSERT INTO {r.Name} AS r
            SELECT * FROM {delta} d WHERE ({string.Join(", ", r.Measures.Select(m => "d." + m.Name))}) IS DISTINCT FROM ({string.Join(", ", r.Measures.Select(_ => "0"))})
            ORDER BY {r.KeyColumns}
            {AddToStored(r)};
            """;
        if (!onlyInserts)
            sql += $"""

                DELETE FROM {r.Name} r USING {delta} d
                WHERE r.provider_id = d.provider_id AND r.bucket_start = d.bucket_start
                  {string.Join(" ", r.Dimensions.Select(dim => $"AND r.{dim.Name} IS NOT DISTINCT FROM d.{dim.Name}"))}
                  AND r.{r.Measures[0].Name} = 0;
                """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Moves one measure of <paramref name="r"/> by <paramref name="sign"/> (±1 per source row aliased <c>x</c> in temp
    /// table <paramref name="source"/>, at each row's current key), the other measures by 0. For a flag stored on source
    /// rows the general delta cannot see change (BotContainment): every such key already holds its rows, so the upsert
    /// only updates; its count is untouched, so no key is emptied.
    /// </summary>
    public static async Task ApplyMeasureDeltaAsync(NpgsqlConnection connection, RollupDefinition r, string source, string measure, string sign, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(MeasureDeltaSql(r, source, measure, sign), connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The statement of <see cref="ApplyMeasureDeltaAsync"/>: <paramref name="source"/> may also be a CTE of the statement
    /// it is embedded in (an <c>UPDATE … RETURNING</c> of the source rows), which saves a temp table per batch.
    /// </summary>
    internal static string MeasureDeltaSql(RollupDefinition r, string source, string measure, string sign) =>
        // the same grouped upsert as an insert-only delta, with the one measure's expression the sign and the others 0
        AddGroupedSql(r with { Measures = [.. r.Measures.Select(m => m with { Expression = m.Name == measure ? sign : "0" })] }, source);

    /// <summary>
    /// Moves the measures <paramref name="measures"/> of <paramref name="r"/> from the old state of some source rows to their
    /// new one, the other measures by 0: <paramref name="source"/> (alias <c>x</c>, a CTE or a subquery) holds each row twice
    /// at its current key, with a column <c>sign</c> of +1 (new) and −1 (old). For a column stored on source rows that the
    /// general delta cannot see change (FirstAgentMessages' copy); the count is untouched, so no key is emptied.
    /// </summary>
    internal static string MeasuresMoveSql(RollupDefinition r, string source, IReadOnlyCollection<string> measures) =>
        AddGroupedSql(r with { Measures = [.. r.Measures.Select(m => measures.Contains(m.Name) ? m : m with { Expression = "0" })] }, source, "x.sign");

    /// <summary>
    /// The rows of <paramref name="source"/> (alias <c>x</c>) grouped by key, each weighted by <paramref name="sign"/>, and
    /// added to the stored rows: the insert-only delta (every group counts ≥ 1 row, so none is all zeros),
    /// <see cref="ApplyMeasureDeltaAsync"/> and <see cref="MeasuresMoveSql"/>.
    /// </summary>
    private static string AddGroupedSql(RollupDefinition r, string source, string sign = "1") => $"""
        INSERT INTO {r.Name} AS r
        {GroupedSelect(r, sign)}
        FROM {source} x
        {Where(r)}
        {GroupBy(r)}
        ORDER BY {string.Join(", ", Enumerable.Range(1, 2 + r.Dimensions.Length))}
        {AddToStored(r)}
        """;

    /// <summary>
    /// Recomputes one provider's rollup rows from the raw rows, for bucket starts in [<paramref name="from"/>, <paramref name="to"/>)
    /// (whole history when null). The caller holds the provider's ingest lock (<see cref="LockProvidersAsync"/>).
    /// Returns the rows written.
    /// </summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, RollupDefinition r, long providerId, DateTime? from, DateTime? to, CancellationToken ct)
    {
        var time = "x." + r.TimeColumn;
        var parameters = new { ProviderId = providerId, From = from, To = to };
        await connection.ExecuteAsync(new CommandDefinition($"""
            DELETE FROM {r.Name} WHERE provider_id = @ProviderId
              AND (@From::timestamptz IS NULL OR bucket_start >= @From) AND (@To::timestamptz IS NULL OR bucket_start < @To)
            """, parameters, cancellationToken: ct));
        var sql = $"""
            INSERT INTO {r.Name}
            {GroupedSelect(r, "1")}
            FROM {r.Source.Name} x
            WHERE x.provider_id = @ProviderId
              AND (@From::timestamptz IS NULL OR {time} >= @From) AND (@To::timestamptz IS NULL OR {time} < @To)
              {(r.Filter is null ? "" : "AND " + r.Filter)}
            {GroupBy(r)}
            ORDER BY {string.Join(", ", Enumerable.Range(1, 2 + r.Dimensions.Length))}
            """;
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    /// <summary>
    /// Serialises writers of the same providers (ingest batches, rebuilds, retention's edge rebuild) for the rest of the
    /// transaction, in id order so two batches never deadlock. Rollup deltas read the stored rows before writing them;
    /// two concurrent batches on one entity would otherwise both subtract the same old row.
    /// </summary>
    public static async Task LockProvidersAsync(NpgsqlConnection connection, IEnumerable<long> providerIds, CancellationToken ct)
    {
        var ids = providerIds.Distinct().Order().ToArray();
        if (ids.Length == 0)
            return;
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('koopid_provider_writes', p)) FROM unnest(@Ids) WITH ORDINALITY AS u(p, n) ORDER BY n",
            new { Ids = ids }, cancellationToken: ct));
    }
}
