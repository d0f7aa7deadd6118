namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// The interactions a batch may have changed a stored, derived value for (botContained, the first agent message's copy),
/// each once, with its started_at when the batch wrote it (the partition key: one partition to probe), else null
/// (looked up in every month). <see cref="LocatedSql"/> turns them into rows <c>located (p, id, t)</c> of the stored
/// interactions.
/// </summary>
internal sealed class NamedInteractions
{
    private readonly Dictionary<(long, long), DateTime?> named = [];

    public int Count => named.Count;

    /// <summary>
    /// The interactions whose values derived from their messages (the first agent message's copy, the message count) a
    /// batch may have changed: those its messages name, and its own interactions unless they were all new
    /// (<paramref name="interactionsSettled"/>: they took the values as they were inserted). With <see cref="MessagesLocatedSql"/>
    /// also those its corrected messages named before.
    /// </summary>
    public static NamedInteractions OfMessages(Dictionary<IngestTable, MergedRows> tables, bool interactionsSettled)
    {
        var named = new NamedInteractions();
        if (tables.TryGetValue(IngestTables.Messages, out var messages))
            foreach (var v in messages.Values)
                named.Add((long)v[0]!, (long)v[MessageInteraction]!);
        named.AddBatchInteractions(tables, interactionsSettled);
        return named;
    }

    /// <summary>
    /// <see cref="LocatedSql"/> for <see cref="OfMessages"/>: when messages stored before were rewritten
    /// (<paramref name="messagesUpserted"/>: <c>old_messages</c> exists), their stored rows' interactions too.
    /// </summary>
    public static string MessagesLocatedSql(bool messagesUpserted) =>
        LocatedSql(messagesUpserted ? "UNION ALL SELECT DISTINCT provider_id, interaction_id, NULL::timestamptz FROM old_messages" : "");

    /// <summary>An interaction named by another row of the batch (a bot session, a message), or by its stored row.</summary>
    public void Add(long providerId, long interactionId) => named.TryAdd((providerId, interactionId), null);

    /// <summary>
    /// The batch's own interactions: checked with their started_at, or, when they were all new (<paramref name="settled"/>),
    /// not at all: they took their values as they were inserted (<see cref="EventWriter"/>).
    /// </summary>
    public void AddBatchInteractions(Dictionary<IngestTable, MergedRows> tables, bool settled)
    {
        if (!tables.TryGetValue(IngestTables.Interactions, out var interactions))
            return;
        foreach (var v in interactions.Values)
        {
            var key = ((long)v[0]!, (long)v[1]!);
            if (settled)
                named.Remove(key);
            else
                named[key] = (DateTime)v[InteractionStart]!;
        }
    }

    /// <summary>
    /// CTEs <c>named</c> and <c>located</c> (without the leading WITH) over <see cref="Parameters"/>;
    /// <paramref name="moreNamed"/> may add rows <c>(p, id, NULL::timestamptz)</c> to <c>named</c> with a UNION ALL.
    /// </summary>
    public static string LocatedSql(string moreNamed = "") => $"""
        named AS (
            SELECT * FROM unnest(@P::bigint[], @I::bigint[], @T::timestamptz[]) AS u(p, id, t)
            {moreNamed}
        ),
        located AS (
            SELECT p, id, t FROM named WHERE t IS NOT NULL
            UNION ALL
            SELECT i.provider_id, i.interaction_id, i.started_at
            FROM interactions i JOIN named n ON i.provider_id = n.p AND i.interaction_id = n.id
            WHERE n.t IS NULL
        )
        """;

    public object Parameters => new
    {
        P = named.Keys.Select(k => k.Item1).ToArray(),
        I = named.Keys.Select(k => k.Item2).ToArray(),
        T = named.Values.ToArray(),
    };

    private static readonly int MessageInteraction = Array.FindIndex(IngestTables.Messages.Columns, c => c.Name == "interaction_id");
    private static readonly int InteractionStart = Array.FindIndex(IngestTables.Interactions.Columns, c => c.Name == "started_at");
}
