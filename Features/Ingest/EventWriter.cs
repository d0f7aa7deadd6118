using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// Writes one table's rows inside the caller's transaction: binary COPY into a temporary staging table, then a
/// single upsert. Optional columns an event leaves out keep their stored value, and a row whose values would not
/// change is not touched at all, so replaying a batch changes nothing. Returns the keys that were inserted or changed.
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

        await using var upsert = new NpgsqlCommand(UpsertSql(table, stage), connection);
        await using var reader = await upsert.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            changed.Add((reader.GetInt64(0), table.KeyCount > 1 ? reader.GetInt64(1) : 0));
        return changed;
    }

    /// <summary>Identifiers come only from <see cref="IngestTables"/>, never from input; values travel through COPY.</summary>
    internal static string UpsertSql(IngestTable table, string stage)
    {
        var keys = string.Join(", ", table.KeyColumns);
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
