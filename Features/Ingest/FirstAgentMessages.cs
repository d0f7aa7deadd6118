using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// <c>interaction_first_agent_message</c> (docs/performance.md): per interaction, the <c>sent_at</c> of its first agent
/// message (min over messages with sender_type 'agent'), the start of SPEC §4 firstResponseSeconds. Reading it by
/// primary key replaces a min() that would probe every monthly partition of <c>messages</c> per interaction. Kept exact
/// by ingest (same transaction as the messages), rebuilt by <c>rollups rebuild</c>, corrected by retention.
/// <para>
/// Its copy on the interaction, <c>interactions.first_agent_at</c> (migration 0017), lets AgentSessionStats and Summary
/// read first response index-only instead of one key lookup here per answered interaction. The copy always equals this
/// table's row for the key (null without one). Messages are written before interactions (<see cref="IngestTables.WriteOrder"/>),
/// so an all-new interaction takes its copy as it is inserted (<see cref="SetOnNewInteraction"/>); after the batch's
/// writes <see cref="SyncInteractionsAsync"/> corrects every other interaction the batch may have changed it for.
/// </para>
/// </summary>
public static class FirstAgentMessages
{
    public const string Table = "interaction_first_agent_message";

    /// <summary>The copy on <c>interactions</c>.</summary>
    public const string Column = "first_agent_at";

    /// <summary>
    /// The interaction rollups' measures over the copy (migration 0025; <see cref="Measures"/> is their common prefix):
    /// answered interactions with a first agent message, and their first-response seconds (exact numeric). Summary
    /// averages them.
    /// </summary>
    public const string Measures = "first_response", CountMeasure = Measures + "_n", SecondsMeasure = Measures + "_sum";

    /// <summary>The copy's value for the interaction aliased <c>i</c>: its row here, by key (null without one).</summary>
    private const string FirstOf = $"(SELECT f.first_sent_at FROM {Table} f WHERE f.provider_id = i.provider_id AND f.interaction_id = i.interaction_id)";

    /// <summary>A SET item for new interactions (aliased <c>i</c>) before their insert: the copy from this table.</summary>
    public const string SetOnNewInteraction = $"{Column} = {FirstOf}";

    /// <summary>
    /// After a messages upsert (<c>old_messages</c> and <c>changed_messages</c>, the rows written, exist): for the
    /// interactions of the changed messages (new and old rows), new first = least(stored first, new agent rows), unless an
    /// old agent row at or before the stored first changed — then the stored first may be gone and min() is recomputed
    /// from the messages (rare: corrections of agent messages). Interactions left without an agent message lose their row.
    /// </summary>
    private const string DeltaSql = $"""
        WITH touched AS (
            SELECT s.provider_id, s.interaction_id, min(s.sent_at) FILTER (WHERE s.sender_type = 'agent') AS first_new, false AS lost_first
            FROM changed_messages s -- the rows the upsert wrote
            GROUP BY 1, 2
            UNION ALL
            SELECT o.provider_id, o.interaction_id, NULL, bool_or(o.sender_type = 'agent' AND o.sent_at <= f.first_sent_at)
            FROM old_messages o JOIN changed_messages c USING (provider_id, message_id)
            LEFT JOIN {Table} f ON f.provider_id = o.provider_id AND f.interaction_id = o.interaction_id
            GROUP BY 1, 2
        ),
        fresh AS (
            SELECT t.provider_id, t.interaction_id,
                   CASE WHEN bool_or(t.lost_first)
                        THEN (SELECT min(m.sent_at) FROM messages m
                              WHERE m.provider_id = t.provider_id AND m.interaction_id = t.interaction_id AND m.sender_type = 'agent')
                        ELSE least(min(f.first_sent_at), min(t.first_new)) END AS first_sent_at
            FROM touched t
            LEFT JOIN {Table} f ON f.provider_id = t.provider_id AND f.interaction_id = t.interaction_id
            GROUP BY t.provider_id, t.interaction_id
        ),
        gone AS (
            DELETE FROM {Table} f USING fresh x
            WHERE f.provider_id = x.provider_id AND f.interaction_id = x.interaction_id AND x.first_sent_at IS NULL
        )
        INSERT INTO {Table} AS f (provider_id, interaction_id, first_sent_at)
        SELECT provider_id, interaction_id, first_sent_at FROM fresh WHERE first_sent_at IS NOT NULL ORDER BY 1, 2
        ON CONFLICT (provider_id, interaction_id) DO UPDATE SET first_sent_at = EXCLUDED.first_sent_at
        WHERE f.first_sent_at IS DISTINCT FROM EXCLUDED.first_sent_at
        """;

    /// <summary>The rows of one provider (or all when null), from the messages; what the migration backfill also runs.</summary>
    private const string RebuildSql = $"""
        INSERT INTO {Table} (provider_id, interaction_id, first_sent_at)
        SELECT m.provider_id, m.interaction_id, min(m.sent_at)
        FROM messages m
        WHERE m.provider_id = @ProviderId AND m.sender_type = 'agent'
        GROUP BY 1, 2
        ORDER BY 1, 2
        """;

    /// <summary>
    /// CTEs after <c>fresh</c> (provider_id, interaction_id, started_at, first_sent_at: an interaction's key, once, and its
    /// first agent message now): the copies that differ are set, and each interaction rollup with the first-response
    /// measures moves them from the row's old copy to its new one, at the row's key (every CTE sees the rows as they were
    /// before the statement, so <c>before</c> holds the old copies).
    /// </summary>
    private static readonly string SetCopies = $"""
        before AS (
            SELECT i.* FROM interactions i JOIN fresh x
              ON i.provider_id = x.provider_id AND i.interaction_id = x.interaction_id AND i.started_at = x.started_at
            WHERE i.{Column} IS DISTINCT FROM x.first_sent_at
        ),
        copies AS (
            UPDATE interactions i SET {Column} = x.first_sent_at
            FROM fresh x
            WHERE i.provider_id = x.provider_id AND i.interaction_id = x.interaction_id AND i.started_at = x.started_at
              AND i.{Column} IS DISTINCT FROM x.first_sent_at
            RETURNING i.*
        )
        """ + string.Concat(Rollups.Of(IngestTables.Interactions).Where(r => r.Measures.Any(m => m.Name == CountMeasure)).Select((r, n) => $"""
        , moved_{n} AS (
        {Rollups.MeasuresMoveSql(r, "(SELECT 1 AS sign, c.* FROM copies c UNION ALL SELECT -1 AS sign, b.* FROM before b)", [CountMeasure, SecondsMeasure])}
        )
        """));

    /// <summary>
    /// Retention removed every message older than the cut-off, so only rows whose first is older may be stale: recompute
    /// them from the messages left (delete when none is left), and their interactions' copies with them.
    /// </summary>
    private static readonly string PurgeSql = $"""
        WITH recomputed AS (
            SELECT f.provider_id, f.interaction_id,
                   (SELECT min(m.sent_at) FROM messages m
                    WHERE m.provider_id = f.provider_id AND m.interaction_id = f.interaction_id AND m.sender_type = 'agent') AS first_sent_at
            FROM {Table} f
            WHERE f.provider_id = @ProviderId AND f.first_sent_at < @Cutoff
        ),
        gone AS (
            DELETE FROM {Table} f USING recomputed x
            WHERE f.provider_id = x.provider_id AND f.interaction_id = x.interaction_id AND x.first_sent_at IS NULL
            RETURNING 1
        ),
        kept AS (
            UPDATE {Table} f SET first_sent_at = x.first_sent_at FROM recomputed x
            WHERE f.provider_id = x.provider_id AND f.interaction_id = x.interaction_id AND x.first_sent_at IS NOT NULL
            RETURNING 1
        ),
        fresh AS (
            SELECT i.provider_id, i.interaction_id, i.started_at, x.first_sent_at
            FROM recomputed x JOIN interactions i ON i.provider_id = x.provider_id AND i.interaction_id = x.interaction_id
        ),
        {SetCopies}
        SELECT (SELECT count(*) FROM gone) + (SELECT count(*) FROM kept)
        """;

    /// <summary>An insert-only upsert's conflict clause (target aliased <c>f</c>): a stored first stays unless the new one is earlier.</summary>
    internal const string KeepEarlier = """
        ON CONFLICT (provider_id, interaction_id) DO UPDATE SET first_sent_at = EXCLUDED.first_sent_at
        WHERE EXCLUDED.first_sent_at < f.first_sent_at
        """;

    /// <summary>
    /// An all-new batch (no <c>old_messages</c>): no stored first can be lost, so each interaction's first is the least of
    /// the stored one and its new agent rows' earliest, exactly what <see cref="DeltaSql"/> gives without old rows.
    /// </summary>
    private const string InsertOnlySql = $"""
        INSERT INTO {Table} AS f (provider_id, interaction_id, first_sent_at)
        SELECT provider_id, interaction_id, min(sent_at) FROM changed_messages WHERE sender_type = 'agent'
        GROUP BY 1, 2 ORDER BY 1, 2
        {KeepEarlier}
        """;

    /// <summary>
    /// After a batch's writes: sets the copy on every interaction whose first agent message the batch may have changed and
    /// that did not take it as it was inserted (<paramref name="named"/>, <see cref="NamedInteractions.OfMessages"/>: the
    /// batch's messages' interactions and its updated interactions, one whose started_at moved being re-inserted without
    /// its copy), and, for messages stored before (<paramref name="messagesUpserted"/>: <c>old_messages</c> exists), their
    /// old rows' interactions. Only copies that differ are written, and the interaction rollups' first-response sums move
    /// with them.
    /// </summary>
    internal static async Task SyncInteractionsAsync(NpgsqlConnection connection, NamedInteractions named, bool messagesUpserted, CancellationToken ct)
    {
        if (named.Count == 0 && !messagesUpserted)
            return;
        await connection.ExecuteAsync(new CommandDefinition($"""
            WITH {NamedInteractions.MessagesLocatedSql(messagesUpserted)},
            fresh AS (
                SELECT DISTINCT l.p AS provider_id, l.id AS interaction_id, l.t AS started_at, f.first_sent_at
                FROM located l LEFT JOIN {Table} f ON f.provider_id = l.p AND f.interaction_id = l.id
            ),
            {SetCopies}
            SELECT count(*) FROM copies
            """, named.Parameters, cancellationToken: ct));
    }

    public static async Task ApplyDeltaAsync(NpgsqlConnection connection, CancellationToken ct, bool onlyInserts = false)
    {
        await using var command = new NpgsqlCommand(onlyInserts ? InsertOnlySql : DeltaSql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Recomputes one provider's rows; the caller holds the provider's ingest lock. Returns the rows written.</summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, long providerId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition($"DELETE FROM {Table} WHERE provider_id = @ProviderId", new { ProviderId = providerId }, cancellationToken: ct));
        var rows = await connection.ExecuteAsync(new CommandDefinition(RebuildSql, new { ProviderId = providerId }, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE interactions i SET {SetOnNewInteraction} WHERE i.provider_id = @ProviderId AND i.{Column} IS DISTINCT FROM {FirstOf}",
            new { ProviderId = providerId }, cancellationToken: ct));
        return rows;
    }

    /// <summary>After retention deleted messages older than <paramref name="cutoff"/>: fixes the provider's stale rows (caller holds its lock).</summary>
    public static Task<long> PurgeAsync(NpgsqlConnection connection, long providerId, DateTime cutoff, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(PurgeSql, new { ProviderId = providerId, Cutoff = cutoff }, cancellationToken: ct));
}
