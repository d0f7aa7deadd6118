using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.DBStats;

public static class Data
{
    /// <summary>The service's tables (a fixed list: the only names ever spliced into SQL here).</summary>
    public static readonly string[] Tables =
        ["providers", "agents", "queues", "bots", "customers", "customer_endpoints", "interactions", "messages", "messages_raw",
         "agent_sessions", "bot_sessions", "api_keys"];

    /// <summary>Below this estimate a table is counted exactly; above, pg_class.reltuples (kept by autovacuum/ANALYZE) is used.</summary>
    public const long ExactCountBelow = 100_000;

    public sealed record Platform
    {
        public long DatabaseBytes { get; init; }
        public int Connections { get; init; }
        public int MaxConnections { get; init; }
        public double? CacheHitRatio { get; init; }
        public long ProviderCount { get; init; }
        public DateTime? OldestEventAt { get; init; }
        public DateTime? NewestEventAt { get; init; }
    }

    public sealed record TableSize
    {
        public string Table { get; init; } = "";
        public long EstimatedRows { get; init; }
        public long Bytes { get; init; }
    }

    public sealed record Span
    {
        public DateTime? OldestEventAt { get; init; }
        public DateTime? NewestEventAt { get; init; }
    }

    // The event span per provider, through the (provider_id, time) indexes: a loose index scan, not a full scan.
    private const string SpanOfProvider = """
        SELECT least((SELECT min(started_at) FROM interactions WHERE provider_id = p.provider_id),
                     (SELECT min(sent_at) FROM messages WHERE provider_id = p.provider_id),
                     (SELECT min(login_at) FROM agent_sessions WHERE provider_id = p.provider_id),
                     (SELECT min(started_at) FROM bot_sessions WHERE provider_id = p.provider_id)) AS oldest_event_at,
               greatest((SELECT max(started_at) FROM interactions WHERE provider_id = p.provider_id),
                        (SELECT max(sent_at) FROM messages WHERE provider_id = p.provider_id),
                        (SELECT max(login_at) FROM agent_sessions WHERE provider_id = p.provider_id),
                        (SELECT max(started_at) FROM bot_sessions WHERE provider_id = p.provider_id)) AS newest_event_at
        """;

    private const string PlatformSql = $"""
        WITH spans AS (SELECT s.* FROM providers p CROSS JOIN LATERAL ({SpanOfProvider}) s)
        SELECT
            -- databaseBytes: pg_database_size of this database
            pg_database_size(current_database()) AS database_bytes,
            -- connections: server processes connected to this database (pg_stat_activity), and the server's limit
            (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database()) AS connections,
            current_setting('max_connections')::int AS max_connections,
            -- cacheHitRatio: blks_hit ÷ (blks_hit + blks_read) since the statistics were reset; null before any read
            (SELECT blks_hit::float8 / NULLIF(blks_hit + blks_read, 0) FROM pg_stat_database WHERE datname = current_database()) AS cache_hit_ratio,
            -- providerCount: rows of providers
            (SELECT count(*) FROM providers) AS provider_count,
            -- oldest/newest event over every provider
            (SELECT min(oldest_event_at) FROM spans) AS oldest_event_at,
            (SELECT max(newest_event_at) FROM spans) AS newest_event_at;

        -- per table: the planner's row estimate (-1 = never analysed) and total bytes (heap + indexes + TOAST);
        -- a partitioned table (interactions, messages) holds nothing itself: sum its partitions, -1 if one was never analysed
        SELECT c.relname AS table,
               CASE WHEN c.relkind = 'p'
                    THEN (SELECT CASE WHEN min(p.reltuples) < 0 THEN -1 ELSE sum(p.reltuples) END
                          FROM pg_partition_tree(c.oid) t JOIN pg_class p ON p.oid = t.relid WHERE t.isleaf)
                    ELSE c.reltuples END::bigint AS estimated_rows,
               CASE WHEN c.relkind = 'p' THEN (SELECT sum(pg_total_relation_size(t.relid)) FROM pg_partition_tree(c.oid) t)
                    ELSE pg_total_relation_size(c.oid) END::bigint AS bytes
        FROM pg_class c
        WHERE c.oid = ANY(SELECT to_regclass(t)::oid FROM unnest(@Tables) AS t);
        """;

    private const string ProviderSpanSql = $"""
        SELECT s.* FROM (SELECT @ProviderId::bigint AS provider_id) p CROSS JOIN LATERAL ({SpanOfProvider}) s
        """;

    public static async Task<(Platform Platform, List<(string Table, long Rows, bool Exact, long Bytes)> Tables)> PlatformAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        Platform platform;
        List<TableSize> sizes;
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(PlatformSql, new { Tables }, cancellationToken: ct)))
        {
            platform = await results.ReadSingleAsync<Platform>();
            sizes = (await results.ReadAsync<TableSize>()).AsList();
        }
        // Exact counts where the estimate is small or unknown: cheap, and what an admin expects to see for small tables.
        var small = sizes.Where(s => s.EstimatedRows < ExactCountBelow).Select(s => s.Table).ToList();
        var exact = new Dictionary<string, long>();
        if (small.Count > 0)
        {
            var sql = string.Join("\nUNION ALL\n", small.Select(t => $"SELECT '{t}' AS table, count(*) AS rows FROM {t}"));
            foreach (var (table, rows) in await connection.QueryAsync<(string, long)>(new CommandDefinition(sql, cancellationToken: ct)))
                exact[table] = rows;
        }
        var tables = Tables.Select(t => sizes.FirstOrDefault(s => s.Table == t) is { } size
                ? (t, exact.TryGetValue(t, out var n) ? n : size.EstimatedRows, exact.ContainsKey(t), size.Bytes)
                : (t, 0L, true, 0L))
            .ToList();
        return (platform, tables);
    }

    /// <summary>
    /// The two big tables counted from their hourly rollups (docs/performance.md): ingest keeps each in the same transaction
    /// as the rows, so the sum of the counts is exactly count(*) — a few thousand rows instead of millions of index entries.
    /// </summary>
    private static readonly Dictionary<string, string> CountedByRollup = new()
    {
        ["interactions"] = "SELECT 'interactions' AS table, coalesce(sum(interactions), 0)::bigint AS rows FROM interaction_rollup_1h_total WHERE provider_id = @ProviderId",
        ["messages"] = "SELECT 'messages' AS table, coalesce(sum(messages), 0)::bigint AS rows FROM message_rollup_1h_total WHERE provider_id = @ProviderId",
    };

    public static async Task<(Span Span, Dictionary<string, long> Rows)> ProviderAsync(NpgsqlDataSource db, long providerId, bool rollups, CancellationToken ct)
    {
        // Exact counts of the provider's rows: every table leads its key with provider_id, so each count is an index range.
        var countSql = string.Join("\nUNION ALL\n", Tables.Select(t => rollups && CountedByRollup.TryGetValue(t, out var sql) ? sql
            : $"SELECT '{t}' AS table, count(*) AS rows FROM {t} WHERE provider_id = @ProviderId"));
        await using var connection = await db.OpenConnectionAsync(ct);
        var span = await connection.QuerySingleAsync<Span>(new CommandDefinition(ProviderSpanSql, new { ProviderId = providerId }, cancellationToken: ct));
        var rows = (await connection.QueryAsync<(string Table, long Rows)>(new CommandDefinition(countSql, new { ProviderId = providerId }, cancellationToken: ct)))
            .ToDictionary(x => x.Table, x => x.Rows);
        return (span, rows);
    }
}
