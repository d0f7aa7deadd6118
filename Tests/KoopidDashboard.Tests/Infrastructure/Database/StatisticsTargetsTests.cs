using Dapper;
using KoopidDashboard.Features.Ingest;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// Migration 0021: planner statistics are skipped (target 0) for the columns no statement compares — rollup measures,
/// message text and entity lists — and kept for every column a plan can use; new monthly partitions copy the targets.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StatisticsTargetsTests(PostgresFixture db)
{
    /// <summary>The column's explicit statistics target, or null for the default (-1 before PostgreSQL 17, NULL from 17).</summary>
    private async Task<Dictionary<string, int?>> TargetsAsync(string table)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Name, int? Target)>("""
            SELECT attname::text, nullif(attstattarget::int, -1) FROM pg_attribute
            WHERE attrelid = to_regclass(@Table) AND attnum > 0 AND NOT attisdropped
            """, new { Table = table });
        return rows.ToDictionary(r => r.Name, r => r.Target);
    }

    [Fact]
    public async Task Every_rollup_skips_statistics_on_its_measures_and_keeps_them_on_its_keys()
    {
        foreach (var rollup in Rollups.All)
        {
            var targets = await TargetsAsync(rollup.Name);
            var measures = rollup.Measures.Select(m => m.Name).ToHashSet();
            Assert.Equal(measures.Order(), targets.Where(t => t.Value == 0).Select(t => t.Key).Order());
            Assert.All(rollup.KeyColumns.Split(", "), key => Assert.Null(targets[key]));
        }
    }

    [Fact]
    public async Task Message_text_and_entity_lists_skip_statistics_in_every_partition_old_and_new()
    {
        await using (var connection = await db.DataSource.OpenConnectionAsync())
            Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
                "SELECT koopid_ensure_month_partitions('messages', ARRAY[timestamptz '2091-07-15 12:00:00+00'])"));

        var expected = new Dictionary<string, int?>
        {
            ["provider_id"] = null, ["message_id"] = null, ["interaction_id"] = null, ["sent_at"] = null,
            ["sender_type"] = null, ["sender_id"] = null, ["text"] = 0, ["redacted_entities"] = 0,
        };
        Assert.Equal(expected, await TargetsAsync("messages"));
        Assert.Equal(expected, await TargetsAsync("messages_default"));
        Assert.Equal(expected, await TargetsAsync("messages_p2091_07"));
        // the copy is only of explicit targets: a new interactions partition keeps every default
        await using (var connection = await db.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("SELECT koopid_ensure_month_partitions('interactions', ARRAY[timestamptz '2091-07-15 12:00:00+00'])");
        Assert.All((await TargetsAsync("interactions_p2091_07")).Values, Assert.Null);
    }
}
