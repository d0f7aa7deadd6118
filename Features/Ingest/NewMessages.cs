using KoopidDashboard.Infrastructure.Redaction;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// An all-new batch of messages (docs/ingest.md "How a batch is written"), the bulk of every load: the client knows every
/// row it adds, so it sums the message rollups' deltas and the interactions' first agent message itself and the rows are
/// COPYed straight into <c>messages</c>, instead of a COPY into <c>changed_messages</c>, an <c>INSERT … SELECT</c> into
/// the partitions and GROUP BYs over the temp table. The sums are those of <see cref="Rollups.Messages"/>,
/// <see cref="Rollups.MessagesHourlyTotal"/> and <see cref="Rollups.MessagesHourlyByAgent"/> (StoreTests compare them with
/// a rebuild); a rollup or measure this class
/// does not know, or a time it might bucket differently from <c>date_bin</c>, sends the batch down the SQL path.
/// </summary>
public static class NewMessages
{
    private const int SentAt = 3, SenderType = 4, SenderId = 5, Entities = 7; // IngestTables.Messages column order
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private static readonly string[] KnownMeasures = ["messages", "from_customer", "from_agent", "from_bot", "from_system", "redacted_entities"];

    /// <summary>The hourly tier's: the same, then the placeholders per entity type (<see cref="EntityTypes.RollupColumn"/>).</summary>
    private static readonly string[] KnownHourlyMeasures = [.. KnownMeasures, .. EntityTypes.ReportOrder.Select(EntityTypes.RollupColumn)];

    /// <summary>
    /// True when the client sums give exactly the SQL path's result: the messages rollups are the three known ones, and every
    /// time is a whole microsecond (stored without rounding) from 1970 on (where <c>date_bin</c> from the epoch is a floor).
    /// </summary>
    public static bool Fits(IReadOnlyList<object?[]> rows)
    {
        var rollups = Rollups.Of(IngestTables.Messages);
        if (rollups.Length != 3 || rollups[0] != Rollups.Messages || rollups[1] != Rollups.MessagesHourlyTotal || rollups[2] != Rollups.MessagesHourlyByAgent
            || !rollups[0].Measures.Select(m => m.Name).SequenceEqual(KnownMeasures)
            || !rollups[1].Measures.Select(m => m.Name).SequenceEqual(KnownHourlyMeasures)
            || !rollups[2].Measures.Select(m => m.Name).SequenceEqual(["from_agent"]))
            return false;
        foreach (var row in rows)
        {
            var ticks = ((DateTime)row[SentAt]!).Ticks;
            if (ticks < UnixEpochTicks || ticks % 10 != 0)
                return false;
        }
        return true;
    }

    /// <summary>The rollup rows and first agent messages of <paramref name="rows"/>, and their waiting word-tier days (<see cref="MessageWords"/>), added in one round trip.</summary>
    public static async Task ApplyDeltasAsync(NpgsqlConnection connection, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var fine = new Dictionary<(long Provider, DateTime Bucket, long Interaction, long? Agent), long[]>();
        var hourly = new Dictionary<(long Provider, DateTime Bucket), long[]>();
        var byAgent = new Dictionary<(long Provider, DateTime Bucket, long Agent), long[]>();
        var firstAgent = new Dictionary<(long Provider, long Interaction), DateTime>();
        foreach (var row in rows)
        {
            var (provider, interaction, sentAt) = ((long)row[0]!, (long)row[2]!, (DateTime)row[SentAt]!);
            var sender = (string)row[SenderType]!;
            var agent = sender == "agent" ? (long?)row[SenderId] : null;
            Add(fine, (provider, Rollups.Messages.BucketStart(sentAt), interaction, agent), sender, row, KnownMeasures.Length);
            Add(hourly, (provider, Rollups.MessagesHourlyTotal.BucketStart(sentAt)), sender, row, KnownHourlyMeasures.Length);
            if (agent is { } agentId)
            {
                // MessagesHourlyByAgent: agent messages with a sender id, one count per provider, hour and sender
                var key = (provider, Rollups.MessagesHourlyByAgent.BucketStart(sentAt), agentId);
                if (!byAgent.TryGetValue(key, out var sent))
                    byAgent[key] = sent = new long[1];
                sent[0]++;
            }
            if (sender == "agent" && (!firstAgent.TryGetValue((provider, interaction), out var first) || sentAt < first))
                firstAgent[(provider, interaction)] = sentAt;
        }

        await using var batch = new NpgsqlBatch(connection);
        var fineKeys = fine.Keys.ToArray();
        batch.BatchCommands.Add(Upsert(Rollups.Messages, "$1::bigint[], $2::timestamptz[], $3::bigint[], $4::bigint[]", 4,
            [fineKeys.Select(k => k.Provider).ToArray(), fineKeys.Select(k => k.Bucket).ToArray(),
             fineKeys.Select(k => k.Interaction).ToArray(), fineKeys.Select(k => k.Agent).ToArray()], fineKeys.Select(k => fine[k]).ToArray()));
        var hourKeys = hourly.Keys.ToArray();
        batch.BatchCommands.Add(Upsert(Rollups.MessagesHourlyTotal, "$1::bigint[], $2::timestamptz[]", 2,
            [hourKeys.Select(k => k.Provider).ToArray(), hourKeys.Select(k => k.Bucket).ToArray()], hourKeys.Select(k => hourly[k]).ToArray()));
        if (byAgent.Count > 0)
        {
            var agentKeys = byAgent.Keys.ToArray();
            batch.BatchCommands.Add(Upsert(Rollups.MessagesHourlyByAgent, "$1::bigint[], $2::timestamptz[], $3::bigint[]", 3,
                [agentKeys.Select(k => k.Provider).ToArray(), agentKeys.Select(k => k.Bucket).ToArray(), agentKeys.Select(k => k.Agent).ToArray()],
                agentKeys.Select(k => byAgent[k]).ToArray()));
        }
        if (firstAgent.Count > 0)
        {
            // As FirstAgentMessages' insert-only delta: least(stored first, the batch's earliest agent message).
            var command = new NpgsqlBatchCommand($"""
                INSERT INTO {FirstAgentMessages.Table} AS f (provider_id, interaction_id, first_sent_at)
                SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) ORDER BY 1, 2
                {FirstAgentMessages.KeepEarlier}
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = firstAgent.Keys.Select(k => k.Provider).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = firstAgent.Keys.Select(k => k.Interaction).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = firstAgent.Values.ToArray() });
            batch.BatchCommands.Add(command);
        }
        batch.BatchCommands.Add(MessageWords.MarkDays(rows.Select(r => ((long)r[0]!, (DateTime)r[SentAt]!))));
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Adds one message to its key's sums, in <see cref="KnownMeasures"/> order, then (<paramref name="measures"/> covers
    /// them: the hourly tier) its placeholders per entity type.
    /// </summary>
    private static void Add<TKey>(Dictionary<TKey, long[]> sums, TKey key, string sender, object?[] row, int measures) where TKey : notnull
    {
        if (!sums.TryGetValue(key, out var s))
            sums[key] = s = new long[measures];
        s[0]++;
        switch (sender)
        {
            case "customer": s[1]++; break;
            case "agent": s[2]++; break;
            case "bot": s[3]++; break;
            case "system": s[4]++; break;
        }
        var entities = row[Entities] as string[];
        s[5] += entities?.Length ?? 0; // cardinality(); a NULL array adds nothing to the sum
        if (measures == KnownMeasures.Length || entities is null)
            return;
        foreach (var entity in entities)
        {
            // cardinality(array_positions(…, type)): every placeholder of the type; a type outside SPEC §7 has no column
            var type = IndexOfType(entity);
            if (type >= 0)
                s[KnownMeasures.Length + type]++;
        }
    }

    private static int IndexOfType(string entity)
    {
        for (var i = 0; i < EntityTypes.ReportOrder.Count; i++)
            if (EntityTypes.ReportOrder[i] == entity)
                return i;
        return -1;
    }

    /// <summary>
    /// The rollup's upsert from arrays: the key columns, then one bigint array per measure; adds to stored sums like
    /// <see cref="Rollups.ApplyDeltaAsync"/> (every key counts ≥ 1 message, so none is all zeros).
    /// </summary>
    private static NpgsqlBatchCommand Upsert(RollupDefinition r, string keyArrays, int keyCount, Array[] keys, long[][] sums)
    {
        var measures = string.Join(", ", r.Measures.Select((_, i) => $"${keyCount + 1 + i}::bigint[]"));
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {r.Name} AS r ({r.KeyColumns}, {string.Join(", ", r.Measures.Select(m => m.Name))})
            SELECT * FROM unnest({keyArrays}, {measures}) ORDER BY {string.Join(", ", Enumerable.Range(1, keyCount))}
            {Rollups.AddToStored(r)}
            """);
        foreach (var key in keys)
            command.Parameters.Add(new NpgsqlParameter { Value = key });
        for (var m = 0; m < r.Measures.Length; m++)
            command.Parameters.Add(new NpgsqlParameter { Value = sums.Select(s => s[m]).ToArray() });
        return command;
    }
}
