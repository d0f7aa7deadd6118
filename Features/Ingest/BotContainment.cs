using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// <c>interactions.bot_contained</c> (migration 0014): SPEC §4 botContained per interaction, stored. An interaction is
/// contained when a bot session of it ended 'contained', or when it has no bot session and is bot-only (a bot, never
/// queued or answered). The answer joins two tables, so reading it joined the range's interactions to the tenant's bot
/// sessions on every Intents call; stored, the interaction rollups count it (measure <c>bot_contained</c>) like any other.
/// Ingest keeps it in the batch's transaction: bot sessions are written first, so an all-new interaction batch takes each
/// flag from the stored sessions as it is inserted (<see cref="SetOnNewInteraction"/>); after the writes, the flag
/// is recomputed for every other interaction the batch may have changed it for: its updated interactions, and the
/// interactions its bot sessions name now or named before the batch (<see cref="ApplyAsync"/>).
/// </summary>
public static class BotContainment
{
    /// <summary>
    /// The definition for the interaction aliased <c>i</c>: its sessions' answer (one index probe through
    /// bot_sessions_by_interaction; no row when it has none, then the bot-only test decides).
    /// </summary>
    private const string Contained = """
        coalesce((SELECT coalesce(bool_or(b.outcome = 'contained'), false) FROM bot_sessions b
                  WHERE b.provider_id = i.provider_id AND b.interaction_id = i.interaction_id HAVING count(*) > 0),
                 i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL)
        """;

    /// <summary>
    /// Before the batch writes its bot sessions: the interactions those sessions name in the stored rows. A session moved
    /// to another interaction, or given another outcome, changes its old interaction's answer too.
    /// </summary>
    public static async Task<List<(long ProviderId, long InteractionId)>> NamedBeforeAsync(
        NpgsqlConnection connection, Dictionary<IngestTable, MergedRows> tables, CancellationToken ct)
    {
        if (!tables.TryGetValue(IngestTables.BotSessions, out var sessions) || sessions.Values.Count == 0
            || await EventWriter.AllNewAsync(connection, IngestTables.BotSessions, sessions.Values, ct)) // none stored yet: one probe per provider
            return [];
        var rows = await connection.QueryAsync<(long, long)>(new CommandDefinition("""
            SELECT DISTINCT b.provider_id, b.interaction_id
            FROM bot_sessions b JOIN unnest(@P::bigint[], @S::bigint[]) AS u(p, s) ON b.provider_id = u.p AND b.bot_session_id = u.s
            WHERE b.interaction_id IS NOT NULL
            """, new { P = sessions.Values.Select(v => (long)v[0]!).ToArray(), S = sessions.Values.Select(v => (long)v[1]!).ToArray() },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>
    /// After the batch's writes: recomputes the flag of every interaction the batch may have changed it for, and moves the
    /// changed flags' count in each interaction rollup (+1 where it became true, −1 where it became false, at the
    /// interaction's current key). <paramref name="namedBefore"/> comes from <see cref="NamedBeforeAsync"/>.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, Dictionary<IngestTable, MergedRows> tables,
        IReadOnlyList<(long ProviderId, long InteractionId)> namedBefore, bool interactionsSettled, CancellationToken ct)
    {
        // interactions named by a bot session, now or before the batch, are looked up in every month; all-new interactions
        // took their flag as they were inserted, after the batch's sessions (SetOnNewInteraction)
        var named = new NamedInteractions();
        foreach (var (providerId, interactionId) in namedBefore)
            named.Add(providerId, interactionId);
        if (tables.TryGetValue(IngestTables.BotSessions, out var sessions))
            foreach (var v in sessions.Values)
                if (v[SessionInteraction] is long interaction)
                    named.Add((long)v[0]!, interaction);
        named.AddBatchInteractions(tables, interactionsSettled);
        if (named.Count == 0)
            return;

        var flipped = await connection.ExecuteAsync(new CommandDefinition($"""
            CREATE TEMP TABLE flipped_interactions ON COMMIT DROP AS SELECT * FROM interactions WITH NO DATA;

            WITH {NamedInteractions.LocatedSql()},
            flipped AS (
                UPDATE interactions i SET bot_contained = NOT i.bot_contained
                FROM located l
                WHERE i.provider_id = l.p AND i.interaction_id = l.id AND i.started_at = l.t
                  AND i.bot_contained <> ({Contained})
                RETURNING i.*
            )
            INSERT INTO flipped_interactions SELECT * FROM flipped
            """, named.Parameters, cancellationToken: ct));

        if (flipped == 0)
            return; // no flag changed: no rollup statement
        foreach (var rollup in Rollups.Of(IngestTables.Interactions).Where(r => r.Measures.Any(m => m.Name == Measure)))
            await Rollups.ApplyMeasureDeltaAsync(connection, rollup, "flipped_interactions", Measure, "CASE WHEN x.bot_contained THEN 1 ELSE -1 END", ct);
    }

    /// <summary>
    /// A SET item for an all-new interaction batch, in <c>changed_interactions</c> (aliased <c>i</c>) before its insert:
    /// each row's flag from the stored bot sessions (the batch's own are written first, <see cref="IngestTables.WriteOrder"/>).
    /// </summary>
    public const string SetOnNewInteraction = "bot_contained = " + Contained;

    /// <summary>For <c>rollups rebuild</c>: one provider's flags from its raw rows, before its rollups are rebuilt from them.</summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, long providerId, CancellationToken ct) =>
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE interactions i SET bot_contained = NOT i.bot_contained
            WHERE i.provider_id = @ProviderId AND i.bot_contained <> (
            """ + Contained + """
            )
            """, new { ProviderId = providerId }, cancellationToken: ct));

    public const string Measure = "bot_contained";
    private static readonly int SessionInteraction = Array.FindIndex(IngestTables.BotSessions.Columns, c => c.Name == "interaction_id");
}
