using Npgsql;
using NpgsqlTypes;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// Writes one table's rows inside the caller's transaction: binary COPY into a temporary staging table, then a
/// single upsert. Optional columns an event leaves out keep their stored value, and a row whose values would not
/// change is not touched at all, so replaying a batch changes nothing. Returns the keys that were inserted or changed.
/// A partitioned table's key includes its time: a row whose time moved is completed from the stored row and the
/// stored row deleted first. A table with rollups keeps them in step by delta (<see cref="Rollups.ApplyDeltaAsync"/>),
/// messages also their interactions' first agent message (<see cref="FirstAgentMessages"/>) and mark their word-tier days (<see cref="MessageWords"/>).
/// New interactions also take their stored botContained and first agent message as they are inserted.
/// A batch whose keys are all certainly new (<see cref="AllNewAsync"/>, the bulk-load case) skips locking, copying and
/// deleting stored rows and the subtracting half of every delta: there are none, so the result is the same.
/// </summary>
public static class EventWriter
{
    /// <summary>
    /// The keys a write inserted or changed; <c>AllNew</c>: the rows took the insert-only path (every key new, inserted
    /// as sent; new interactions with their botContained set, <see cref="BotContainment"/>).
    /// </summary>
    public sealed record TableWrite(HashSet<(long, long)> Changed, bool AllNew);

    public static async Task<TableWrite> UpsertAsync(NpgsqlConnection connection, IngestTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var changed = new HashSet<(long, long)>();
        if (rows.Count == 0)
            return new TableWrite(changed, AllNew: false);

        var rollups = Rollups.Of(table);
        await EnsurePartitionsAsync(connection, table, rows, ct);
        var allNew = await AllNewAsync(connection, table, rows, ct);
        if (allNew && table.Columns.All(c => c.InsertDefault is null))
        {
            // Only inserts, and the upsert would store exactly these values. Without rollups: COPY straight into the table
            // (for a partitioned one, PostgreSQL routes each row to its month). Messages: the same, the client sums their
            // deltas (NewMessages). Other tables with rollups (interactions, bot sessions): COPY into changed_{table},
            // which is what the upsert's RETURNING would hold, and insert from there without ON CONFLICT (no speculative
            // insertion) or RETURNING (no keys sent back); the insert-only deltas group changed_{table} (no old_{table}).
            if (rollups.Length == 0)
                await CopyAsync(connection, table, table.Name, rows, ct);
            else if (table == IngestTables.Messages && NewMessages.Fits(rows))
            {
                // The client sums the deltas (NewMessages): no changed_messages, the rows go straight to their partitions, in key order.
                var sorted = rows.OrderBy(r => (long)r[0]!).ThenBy(r => (long)r[1]!).ToList();
                await CopyAsync(connection, table, table.Name, sorted, ct);
                await NewMessages.ApplyDeltasAsync(connection, rows, ct);
                foreach (var row in rows)
                    changed.Add(((long)row[0]!, (long)row[1]!));
                return new TableWrite(changed, AllNew: true);
            }
            else
            {
                var columns = string.Join(", ", table.Columns.Select(c => c.Name));
                await ExecuteAsync(connection, PrepareSql(table, stage: "", withRollups: true, allNew: true), ct);
                await CopyAsync(connection, table, "changed_" + table.Name, rows, ct);
                if (table == IngestTables.Interactions)
                {
                    // New interactions get their botContained from the stored bot sessions, their first agent message and
                    // message count from the stored messages (all written before them) as they are inserted: setting them
                    // afterwards would write those rows twice (BotContainment, FirstAgentMessages, MessageCounts)
                    await ExecuteAsync(connection, $"""
                        UPDATE changed_interactions i
                        SET {BotContainment.SetOnNewInteraction}, {FirstAgentMessages.SetOnNewInteraction}, {MessageCounts.SetOnNewInteraction}
                        """, ct);
                    columns += $", {BotContainment.Measure}, {FirstAgentMessages.Column}, {MessageCounts.Column}";
                }
                await ExecuteAsync(connection,
                    $"INSERT INTO {table.Name} ({columns}) SELECT {columns} FROM changed_{table.Name} ORDER BY {string.Join(", ", table.KeyColumns)}", ct);
            }
            foreach (var row in rows)
                changed.Add(((long)row[0]!, (long)row[1]!));
            await ApplyDeltasAsync(connection, table, rollups, ct, onlyInserts: true);
            return new TableWrite(changed, AllNew: true);
        }

        var stage = "stage_" + table.Name;
        await ExecuteAsync(connection, $"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {string.Join(", ", table.Columns.Select(c => c.Name))} FROM {table.Name} WITH NO DATA", ct);
        await CopyAsync(connection, table, stage, rows, ct);

        var tracked = rollups.Length > 0 || table.PartitionBy is not null;
        if (tracked)
            await ExecuteAsync(connection, PrepareSql(table, stage, rollups.Length > 0, allNew), ct);

        // With rollups the upsert keeps the rows it wrote (changed_{table}); the delta adds them without reading the table again.
        var upsertSql = rollups.Length > 0
            ? $"WITH up AS ({UpsertSql(table, stage, "t.*")}) INSERT INTO changed_{table.Name} SELECT * FROM up RETURNING {string.Join(", ", table.KeyColumns)}"
            : UpsertSql(table, stage);
        await using (var upsert = new NpgsqlCommand(upsertSql, connection))
        await using (var reader = await upsert.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                changed.Add((reader.GetInt64(0), table.KeyCount > 1 ? reader.GetInt64(1) : 0));
        }

        await ApplyDeltasAsync(connection, table, rollups, ct, onlyInserts: allNew); // all new: PrepareSql made no old_{table}
        return new TableWrite(changed, AllNew: false); // the upsert path, even when every key was new
    }

    /// <summary>
    /// Rollups and side tables of a write, from <c>old_{table}</c> and <c>changed_{table}</c>; with <paramref name="onlyInserts"/>
    /// (an all-new batch) from <c>changed_{table}</c> alone, as there is no <c>old_{table}</c>.
    /// </summary>
    private static async Task ApplyDeltasAsync(NpgsqlConnection connection, IngestTable table, RollupDefinition[] rollups, CancellationToken ct, bool onlyInserts = false)
    {
        foreach (var rollup in rollups)
            await Rollups.ApplyDeltaAsync(connection, rollup, ct, onlyInserts);
        if (table == IngestTables.Interactions)
            await CustomerFirsts.ApplyDeltaAsync(connection, ct, onlyInserts);
        if (table == IngestTables.Messages)
        {
            await FirstAgentMessages.ApplyDeltaAsync(connection, ct, onlyInserts);
            await MessageWords.MarkChangedAsync(connection, onlyInserts, ct);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IngestTable table, string target, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY {target} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct);
        var types = table.Columns.Select(c => c.Type).ToArray();
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < types.Length; i++)
            {
                if (row[i] is null)
                    await importer.WriteNullAsync(ct);
                else
                    await WriteValueAsync(importer, row[i]!, types[i], ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    /// <summary>
    /// One value through the typed writer of its column type: the object overload resolves the type per value, which
    /// was a large part of the client's CPU per row. The values are the parser's, so each has its column's CLR type.
    /// </summary>
    private static Task WriteValueAsync(NpgsqlBinaryImporter importer, object value, NpgsqlDbType type, CancellationToken ct) => type switch
    {
        NpgsqlDbType.Bigint => importer.WriteAsync((long)value, type, ct),
        NpgsqlDbType.Text => importer.WriteAsync((string)value, type, ct),
        NpgsqlDbType.TimestampTz => importer.WriteAsync((DateTime)value, type, ct),
        NpgsqlDbType.Integer => importer.WriteAsync((int)value, type, ct),
        NpgsqlDbType.Smallint => importer.WriteAsync((short)value, type, ct),
        NpgsqlDbType.Double => importer.WriteAsync((double)value, type, ct),
        NpgsqlDbType.Array | NpgsqlDbType.Text => importer.WriteAsync((string[])value, type, ct),
        _ => importer.WriteAsync(value, type, ct),
    };

    /// <summary>
    /// The months' partitions of a partitioned table's rows, before any write (a month that exists is skipped without a
    /// lock; other tables: nothing to do).
    /// </summary>
    public static async Task EnsurePartitionsAsync(NpgsqlConnection connection, IngestTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (table.PartitionBy is not { } timeColumn || rows.Count == 0)
            return;
        var at = Array.FindIndex(table.Columns, c => c.Name == timeColumn);
        var months = rows.Select(r => (DateTime)r[at]!).Select(t => new DateTime(t.Year, t.Month, 1, 0, 0, 0, DateTimeKind.Utc)).Distinct().ToArray();
        await using var command = new NpgsqlCommand("SELECT koopid_ensure_month_partitions($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = months });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// True when no stored row can have any of the batch's keys: every row's id is above the highest id its provider
    /// has stored in this table. Exact, not a guess: the caller holds the providers' ingest lock
    /// (<see cref="Rollups.LockProvidersAsync"/>), so no other writer adds ids meanwhile. One index probe per provider
    /// and partition (the key's <c>(provider_id, id)</c> prefix) instead of one per row and partition.
    /// </summary>
    internal static async Task<bool> AllNewAsync(NpgsqlConnection connection, IngestTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (table.KeyCount != 2)
            return false;
        var lowest = new Dictionary<long, long>();
        foreach (var row in rows)
        {
            var (provider, id) = ((long)row[0]!, (long)row[1]!);
            if (!lowest.TryGetValue(provider, out var low) || id < low)
                lowest[provider] = id;
        }
        await using var command = new NpgsqlCommand($"""
            SELECT NOT EXISTS (SELECT 1 FROM unnest($1::bigint[], $2::bigint[]) AS u(p, low)
                               WHERE EXISTS (SELECT 1 FROM {table.Name} x WHERE x.provider_id = u.p AND x.{table.KeyColumns[1]} >= u.low))
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = lowest.Keys.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = lowest.Values.ToArray() });
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Before the upsert of a partitioned or rolled-up table: lock and keep the stored rows the batch touches
    /// (<c>old_{table}</c>, which rollup deltas subtract), and for rows whose time moved
    /// take the optional values from the stored row and delete it, so the entity never exists twice. When
    /// <paramref name="allNew"/>, there are no stored rows to lock, keep or move: no <c>old_{table}</c> at all.
    /// The months' partitions exist already (<see cref="EnsurePartitionsAsync"/>).
    /// </summary>
    internal static string PrepareSql(IngestTable table, string stage, bool withRollups, bool allNew = false)
    {
        var t = table.Name;
        var keyJoin = string.Join(" AND ", table.KeyColumns.Select(k => $"t.{k} = s.{k}"));
        var keys = string.Join(", ", table.KeyColumns.Select(k => "t." + k));
        // All new: nothing stored to lock, keep or move, and the insert-only deltas read changed_{t} alone (no old_{t}).
        var sql = new System.Text.StringBuilder(allNew
            ? ""
            : $"""
            SELECT 1 FROM {t} t JOIN {stage} s ON {keyJoin} ORDER BY {keys} FOR UPDATE OF t;
            CREATE TEMP TABLE old_{t} ON COMMIT DROP AS SELECT t.* FROM {t} t JOIN {stage} s ON {keyJoin};

            """);
        if (withRollups)
            sql.AppendLine($"CREATE TEMP TABLE changed_{t} ON COMMIT DROP AS SELECT * FROM {t} WITH NO DATA;");
        if (table.PartitionBy is { } p && !allNew)
        {
            var optional = table.Columns.Where(c => !c.Required).Select(c => $"{c.Name} = COALESCE(s.{c.Name}, t.{c.Name})").ToList();
            if (optional.Count > 0)
                sql.AppendLine($"UPDATE {stage} s SET {string.Join(", ", optional)} FROM old_{t} t WHERE {keyJoin} AND t.{p} <> s.{p};");
            sql.AppendLine($"DELETE FROM {t} t USING {stage} s WHERE {keyJoin} AND t.{p} <> s.{p};");
        }
        return sql.ToString();
    }

    /// <summary>Identifiers come only from <see cref="IngestTables"/>, never from input; values travel through COPY.</summary>
    internal static string UpsertSql(IngestTable table, string stage, string? returning = null)
    {
        var keys = string.Join(", ", table.PartitionBy is { } p ? [.. table.KeyColumns, p] : table.KeyColumns);
        var valueColumns = table.Columns.Where(c => !table.KeyColumns.Contains(c.Name)).ToArray();
        var hasDefaults = table.Columns.Any(c => c.InsertDefault is not null);

        // A column with a default keeps the stored value (or takes the default) when the event leaves it out.
        var select = string.Join(", ", table.Columns.Select(c => c.InsertDefault is null
            ? $"s.{c.Name}"
            : $"COALESCE(s.{c.Name}, old.{c.Name}, {c.InsertDefault})"));
        var join = hasDefaults
            ? $" LEFT JOIN {table.Name} old ON {string.Join(" AND ", table.KeyColumns.Select(k => $"old.{k} = s.{k}"))}"
            : "";
        string NewValue(IngestColumn c) => c.Required || c.InsertDefault is not null ? $"EXCLUDED.{c.Name}" : $"COALESCE(EXCLUDED.{c.Name}, t.{c.Name})";

        return $"""
            INSERT INTO {table.Name} AS t ({string.Join(", ", table.Columns.Select(c => c.Name))})
            SELECT {select} FROM {stage} s{join}
            ORDER BY {string.Join(", ", table.KeyColumns.Select(k => "s." + k))}
            ON CONFLICT ({keys}) DO UPDATE SET {string.Join(", ", valueColumns.Select(c => $"{c.Name} = {NewValue(c)}"))}
            WHERE ({string.Join(", ", valueColumns.Select(c => "t." + c.Name))}) IS DISTINCT FROM ({string.Join(", ", valueColumns.Select(NewValue))})
            RETURNING {returning ?? string.Join(", ", table.KeyColumns.Select(k => "t." + k))}
            """;
    }
}
