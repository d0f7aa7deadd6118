using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// <c>interactions.message_count</c> (migration 0019): how many messages of the interaction are stored, whenever sent,
/// the per-conversation count behind ConversationStats' messagesPerConversationAvg. Counting it per conversation at read
/// time was one index probe per interaction (200 k at 400 days); stored, the interaction rollups sum it (measure
/// <see cref="Measure"/>) like any other measure. It is kept like botContained (<see cref="BotContainment"/>): messages are
/// written before interactions, so an all-new interaction takes its count as it is inserted (<see cref="SetOnNewInteraction"/>);
/// after the batch's writes <see cref="SyncAsync"/> recounts every other interaction the batch may have changed it for and
/// moves the rollups' sums by the difference. The count is read from <c>message_rollup_15m</c> (index-only through
/// message_rollup_15m_by_interaction), which ingest keeps in step with the messages.
/// </summary>
public static class MessageCounts
{
    public const string Column = "message_count";

    /// <summary>The interaction rollups' measure summing <see cref="Column"/>.</summary>
    public const string Measure = "messages";

    /// <summary>The count for the interaction aliased <c>i</c>: its message rollup rows summed (0 without any).</summary>
    private const string CountOf = """
        (SELECT coalesce(sum(r.messages), 0)::int FROM message_rollup_15m r
         WHERE r.provider_id = i.provider_id AND r.interaction_id = i.interaction_id)
        """;

    /// <summary>A SET item for new interactions (aliased <c>i</c>) before their insert: the count of the stored messages.</summary>
    public const string SetOnNewInteraction = $"{Column} = {CountOf}";

    /// <summary>
    /// After a batch's writes: recounts every interaction the batch may have changed the count of and that did not take it
    /// as it was inserted (<paramref name="named"/>, <see cref="NamedInteractions.OfMessages"/>: the batch's messages'
    /// interactions and its updated interactions, one inserted by the upsert or re-inserted because its started_at moved
    /// starting at 0), and, for messages stored before (<paramref name="messagesUpserted"/>: <c>old_messages</c> exists),
    /// their old rows' interactions (a message moved away). Each changed count moves the interaction rollups' sums by the
    /// difference, at the interaction's current key.
    /// </summary>
    internal static async Task SyncAsync(NpgsqlConnection connection, NamedInteractions named, bool messagesUpserted, CancellationToken ct)
    {
        if (named.Count == 0 && !messagesUpserted)
            return;
        await connection.ExecuteAsync(new CommandDefinition(RecountSql($"""
            WITH {NamedInteractions.MessagesLocatedSql(messagesUpserted)},
            counted AS (
                SELECT i.provider_id, i.interaction_id, i.started_at, {CountOf} - i.{Column} AS delta
                FROM interactions i JOIN (SELECT DISTINCT p, id, t FROM located) l
                  ON i.provider_id = l.p AND i.interaction_id = l.id AND i.started_at = l.t
            )
            """), named.Parameters, cancellationToken: ct));
    }

    /// <summary>
    /// One statement after <paramref name="counted"/> (<c>WITH …, counted AS (provider_id, interaction_id, started_at,
    /// delta)</c>): sets the changed counts and moves each interaction rollup's sum by the deltas at the interactions'
    /// current keys (data-modifying CTEs over the UPDATE's rows: no temp table per batch). Answers the rows recounted.
    /// </summary>
    private static string RecountSql(string counted) => $"""
        {counted},
        recounted AS (
            UPDATE interactions i SET {Column} = i.{Column} + c.delta
            FROM counted c
            WHERE i.provider_id = c.provider_id AND i.interaction_id = c.interaction_id AND i.started_at = c.started_at
              AND c.delta <> 0
            RETURNING i.*, c.delta AS message_delta
        )
        {MoveRollupSums}
        SELECT count(*) FROM recounted
        """;

    /// <summary>A data-modifying CTE per interaction rollup with <see cref="Measure"/>: its sums moved by the recounted rows' deltas.</summary>
    private static readonly string MoveRollupSums = string.Concat(
        Rollups.Of(IngestTables.Interactions).Where(r => r.Measures.Any(m => m.Name == Measure)).Select((r, n) => $"""
            , moved_{n} AS (
            {Rollups.MeasureDeltaSql(r, "recounted", Measure, "x.message_delta")}
            )
            """));

    /// <summary>For <c>rollups rebuild</c>: one provider's counts from its messages, before its rollups are rebuilt from them.</summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, long providerId, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition($"""
            WITH counted AS (
                SELECT x.interaction_id, x.started_at, coalesce(c.messages, 0) AS messages
                FROM interactions x
                LEFT JOIN (SELECT interaction_id, count(*)::int AS messages FROM messages WHERE provider_id = @ProviderId GROUP BY 1) c
                  USING (interaction_id)
                WHERE x.provider_id = @ProviderId
            )
            UPDATE interactions i SET {Column} = c.messages
            FROM counted c
            WHERE i.provider_id = @ProviderId AND i.interaction_id = c.interaction_id AND i.started_at = c.started_at
              AND i.{Column} <> c.messages
            """, new { ProviderId = providerId }, cancellationToken: ct));

    /// <summary>
    /// Retention, after the messages older than <paramref name="cutoff"/> are gone and before the rollups follow them:
    /// the interactions that had such messages are those of message rollup rows before the cut-off. Each one still stored
    /// is recounted from the messages left, and the interaction rollups' sums move by the difference (the caller holds the
    /// provider's ingest lock). Returns the interactions recounted.
    /// </summary>
    public static Task<int> PurgeAsync(NpgsqlConnection connection, long providerId, DateTime cutoff, CancellationToken ct) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition(RecountSql($"""
            WITH counted AS (
                SELECT i.provider_id, i.interaction_id, i.started_at,
                       (SELECT count(*)::int FROM messages m WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id)
                       - i.{Column} AS delta
                FROM interactions i
                WHERE i.provider_id = @ProviderId
                  AND i.interaction_id IN (SELECT r.interaction_id FROM message_rollup_15m r WHERE r.provider_id = @ProviderId AND r.bucket_start < @Cutoff)
            )
            """), new { ProviderId = providerId, Cutoff = cutoff }, cancellationToken: ct));
}
