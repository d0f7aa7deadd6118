using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// Writes one table's rows inside the caller's transaction: binary COPY into a temporary staging table, then a
/// single upsert. Optional columns an event leaves out keep their stored value, and a row whose values would not
/// change is not touched at all, so replaying a batch changes nothing. Returns the keys that were inserted or changed.
/// A partitioned table's key includes its time: a row whose time moved is completed from the stored row and the
/// stored row deleted first. A table with rollups keeps them in step by delta (<see cref="Rollups.ApplyDeltaAsync"/>),
/// messages also their interactions' first agent message (<see cref="FirstAgentMessages"/>).
/// </summary>
public static class EventWriter
{
    public static async Task<HashSet<(long, long)>> UpsertAsync(NpgsqlConnection connection, IngestTable table, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var changed = new HashSet<(long, long)>();
        if (rows.Count == 0)
            return changed;

        var stage = "stage_" + table.Name;
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {stage} ON COMMIT DROP AS SELECT {columns} FROM {table.Name} WITH NO DATA", connection))
            await create.ExecuteNonQueryAsync(ct);

        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {stage} ({columns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                for (var i = 0; i < table.Columns.Length; i++)
                {
                    if (row[i] is null)
                        await importer.WriteNullAsync(ct);
                    else
                        await importer.WriteAsync(row[i], table.Columns[i].Type, ct);
                }
            }
            await importer.CompleteAsync(ct);
        }

        var rollups = Rollups.Of(table);
        var tracked = rollups.Length > 0 || table.PartitionBy is not null;
        if (tracked)
            await ExecuteAsync(connection, PrepareSql(table, stage, rollups.Length > 0), ct);

        var upsertSql = UpsertSql(table, stage);
        if (rollups.Length > 0)
            upsertSql = $"WITH up AS ({upsertSql}) INSERT INTO changed_{table.Name} SELECT * FROM up RETURNING *";
        await using (var upsert = new NpgsqlCommand(upsertSql, connection))
        await using (var reader = await upsert.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                changed.Add((reader.GetInt64(0), table.KeyCount > 1 ? reader.GetInt64(1) : 0));
        }

        foreach (var rollup in rollups)
            await Rollups.ApplyDeltaAsync(connection, rollup, ct);
        if (table == IngestTables.Interactions)
            await CustomerFirsts.ApplyDeltaAsync(connection, ct);
        if (table == IngestTables.Messages)
            await FirstAgentMessages.ApplyDeltaAsync(connection, ct);
        return changed;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Before the upsert of a partitioned or rolled-up table: lock and keep the stored rows the batch touches
    /// (<c>old_{table}</c>, which rollup deltas subtract), create the months' partitions, and for rows whose time moved
    /// take the optional values from the stored row and delete it, so the entity never exists twice.
    /// </summary>
    internal static string PrepareSql(IngestTable table, string stage, bool withRollups)
    {
        var t = table.Name;
        var keyJoin = string.Join(" AND ", table.KeyColumns.Select(k => $"t.{k} = s.{k}"));
        var keys = string.Join(", ", table.KeyColumns.Select(k => "t." + k));
        var sql = new System.Text.StringBuilder($"""
            SELECT 1 FROM {t} t JOIN {stage} s ON {keyJoin} ORDER BY {keys} FOR UPDATE OF t;
            CREATE TEMP TABLE old_{t} ON COMMIT DROP AS SELECT t.* FROM {t} t JOIN {stage} s ON {keyJoin};

            """);
        if (withRollups)
            sql.AppendLine($"CREATE TEMP TABLE changed_{t} ON COMMIT DROP AS SELECT {string.Join(", ", table.KeyColumns)} FROM {t} WITH NO DATA;");
        if (table.PartitionBy is { } p)
        {
            var optional = table.Columns.Where(c => !c.Required).Select(c => $"{c.Name} = COALESCE(s.{c.Name}, t.{c.Name})").ToList();
            sql.AppendLine($"SELECT koopid_ensure_month_partitions('{t}', ARRAY(SELECT DISTINCT date_trunc('month', {p}, 'UTC') FROM {stage}));");
            if (optional.Count > 0)
                sql.AppendLine($"UPDATE {stage} s SET {string.Join(", ", optional)} FROM old_{t} t WHERE {keyJoin} AND t.{p} <> s.{p};");
            sql.AppendLine($"DELETE FROM {t} t USING {stage} s WHERE {keyJoin} AND t.{p} <> s.{p};");
        }
        return sql.ToString();
    }

    /// <summary>Identifiers come only from <see cref="IngestTables"/>, never from input; values travel through COPY.</summary>
    internal static string UpsertSql(IngestTable table, string stage)
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
            RETURNING {string.Join(", ", table.KeyColumns.Select(k => "t." + k))}
            """;
    }
}
