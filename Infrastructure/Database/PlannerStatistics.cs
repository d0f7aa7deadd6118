using Dapper;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Database;

/// <summary>
/// Fresh planner statistics for the service's tables. Autovacuum analyzes ordinary tables and partitions but never a
/// partitioned parent, whose statistics the planner uses for joins across the hierarchy: without them a freshly
/// bulk-loaded store plans nested loops (Messages over 25 days: a 30 s timeout before, 67 ms after ANALYZE).
/// Run after bulk loads (seed, ingest) and by the hourly maintenance pass.
/// </summary>
public static class PlannerStatistics
{
    /// <summary>Top-level tables of the public schema (partitioned parents recurse into their partitions).</summary>
    private const string TablesSql = """
        SELECT quote_ident(c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'schemaversions'
        ORDER BY c.relname
        """;

    public static async Task RefreshAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var tables = (await connection.QueryAsync<string>(new CommandDefinition(TablesSql, cancellationToken: ct))).ToList();
        if (tables.Count == 0)
            return;
        // Names come from the catalogue, already quoted by quote_ident; ANALYZE takes no parameters.
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE " + string.Join(", ", tables), cancellationToken: ct, commandTimeout: 600));
    }
}
