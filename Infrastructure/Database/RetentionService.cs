using System.Globalization;
using Dapper;
using KoopidDashboard.Features.Ingest;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Database;

/// <summary>
/// SPEC §8 retention: message and interaction history older than <c>Retention:HistoryDays</c> (default 365) is deleted
/// in the background, in small batches with a transaction each, so readers (MVCC) and ingest are never blocked for long.
/// Runs shortly after start-up and then every hour; a database outage just postpones it.
/// </summary>
public sealed class RetentionService([FromKeyedServices(DatabaseRegistration.Primary)] NpgsqlDataSource db, IConfiguration configuration, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    private const int BatchSize = 5_000;

    /// <summary>Unpartitioned history tables with the time that ages them; ctid batches avoid long locks and huge transactions.</summary>
    private static readonly (string Table, string TimeColumn)[] History =
    [
        ("bot_sessions", "started_at"),
        ("agent_sessions", "login_at"),
    ];

    /// <summary>Monthly-partitioned history (0002_partition_history.sql): whole months are dropped, the cut-off month batch-deleted.</summary>
    private static readonly (string Table, string TimeColumn, string IdColumn)[] Partitioned =
    [
        ("messages", "sent_at", "message_id"),
        ("interactions", "started_at", "interaction_id"),
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue("Retention:Enabled", true))
            return;
        await Task.Delay(TimeSpan.FromSeconds(30), time, stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
                await PlannerStatistics.RefreshAsync(db, stoppingToken); // autovacuum skips partitioned parents
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Retention pass skipped: {Reason}", e.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes everything older than the cut-off; returns the rows removed per table (and the partitions dropped).</summary>
    public async Task<IReadOnlyDictionary<string, long>> PurgeAsync(CancellationToken ct)
    {
        var days = configuration.GetValue("Retention:HistoryDays", 365);
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-days);
        var removed = new Dictionary<string, long>();

        foreach (var (table, column, id) in Partitioned)
        {
            await EnsureUpcomingPartitionsAsync(table, now, ct);
            var (partitions, rows) = await DropOldPartitionsAsync(table, cutoff, ct);
            removed[table + ":partitions"] = partitions;
            // What is left older than the cut-off lives in the cut-off's month (or DEFAULT): batches, by primary key.
            // A message's raw text (Redaction:StoreRaw) goes with it.
            var raw = table == "messages"
                ? ", raw AS (DELETE FROM messages_raw r USING gone g WHERE r.provider_id = g.provider_id AND r.message_id = g.message_id)"
                : "";
            removed[table] = rows + await DeleteInBatchesAsync($"""
                WITH gone AS (
                    DELETE FROM {table} t USING (SELECT provider_id, {id}, {column} FROM {table} WHERE {column} < @Cutoff LIMIT {BatchSize}) d
                    WHERE t.provider_id = d.provider_id AND t.{id} = d.{id} AND t.{column} = d.{column}
                    RETURNING t.provider_id, t.{id} AS message_id){raw}
                SELECT count(*)::int FROM gone
                """, cutoff, ct);
        }
        foreach (var (table, column) in History)
            removed[table] = await DeleteInBatchesAsync(CtidDelete(table, column), cutoff, ct);

        // before the rollups follow: the message rollup rows before the cut-off name the interactions that lost messages
        removed["interactions:" + MessageCounts.Column] = await PurgeMessageCountsAsync(cutoff, ct);
        await PurgeRollupsAsync(cutoff, ct);
        await PurgeCustomerFirstsAsync(cutoff, ct);
        removed[FirstAgentMessages.Table] = await PurgeFirstAgentMessagesAsync(cutoff, ct);
        removed["word tier rows"] = await PurgeMessageWordsAsync(cutoff, ct);
        foreach (var (table, total) in removed.Where(r => r.Value > 0))
            logger.LogInformation("Retention removed {Rows} {What} older than {Days} days", total, table, days);
        return removed;
    }

    private static string CtidDelete(string table, string column) => $"""
        WITH gone AS (DELETE FROM {table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {column} < @Cutoff LIMIT {BatchSize})) RETURNING 1)
        SELECT count(*)::int FROM gone
        """;

    /// <summary>Runs a batch delete (a statement answering the rows it removed) until a batch comes back short.</summary>
    private async Task<long> DeleteInBatchesAsync(string sql, DateTime cutoff, CancellationToken ct)
    {
        long total = 0;
        int deleted;
        do
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            // Identifiers come from the constant lists above; the cut-off is a parameter.
            deleted = await connection.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { Cutoff = cutoff }, cancellationToken: ct));
            total += deleted;
        }
        while (deleted == BatchSize && !ct.IsCancellationRequested);
        return total;
    }

    /// <summary>This month's and next month's partitions exist before ingest needs them, so ingest rarely runs DDL.</summary>
    private async Task EnsureUpcomingPartitionsAsync(string table, DateTime now, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT koopid_ensure_month_partitions(@Table, @Months)",
            new { Table = table, Months = new[] { now, now.AddMonths(1) } }, cancellationToken: ct));
    }

    /// <summary>
    /// Drops the monthly partitions that end at or before the cut-off (names <c>{table}_pYYYY_MM</c>, created by
    /// koopid_ensure_month_partitions). A short lock timeout: if a long query holds the table, try again next hour.
    /// Returns the partitions dropped and the rows they held.
    /// </summary>
    private async Task<(long Partitions, long Rows)> DropOldPartitionsAsync(string table, DateTime cutoff, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var names = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass(@Table) AND c.relname ~ ('^' || @Table || '_p[0-9]{4}_[0-9]{2}$')
            ORDER BY c.relname
            """, new { Table = table }, cancellationToken: ct));
        long partitions = 0, rows = 0;
        foreach (var name in names)
        {
            var monthStart = DateTime.ParseExact(name[^7..], "yyyy_MM", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            if (monthStart.AddMonths(1) > cutoff)
                break;
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync("SET LOCAL lock_timeout = '5s'", transaction: transaction);
            rows += await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM {name}", transaction: transaction, cancellationToken: ct));
            if (table == "messages")
                await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM messages_raw r USING {name} m WHERE r.provider_id = m.provider_id AND r.message_id = m.message_id",
                    transaction: transaction, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE {name}", transaction: transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            partitions++;
            logger.LogInformation("Retention dropped partition {Partition}", name);
        }
        return (partitions, rows);
    }

    /// <summary>customer_first_interaction follows the purge: customers whose first interaction is gone get the first one left.</summary>
    private Task<long> PurgeCustomerFirstsAsync(DateTime cutoff, CancellationToken ct) =>
        FixPerProviderAsync("SELECT DISTINCT provider_id FROM customer_first_interaction WHERE first_started_at < @At", cutoff,
            async (connection, providerId) => await CustomerFirsts.AfterPurgeAsync(connection, providerId, cutoff, ct), ct);

    /// <summary>First agent messages older than the cut-off were purged: recompute those interactions' rows.</summary>
    private Task<long> PurgeFirstAgentMessagesAsync(DateTime cutoff, CancellationToken ct) =>
        FixPerProviderAsync($"SELECT DISTINCT provider_id FROM {FirstAgentMessages.Table} WHERE first_sent_at < @At", cutoff,
            (connection, providerId) => FirstAgentMessages.PurgeAsync(connection, providerId, cutoff, ct), ct);

    /// <summary>TopWords' word tier follows the messages: earlier days and months go, the cut-off's day is recomputed.</summary>
    private Task<long> PurgeMessageWordsAsync(DateTime cutoff, CancellationToken ct) =>
        FixPerProviderAsync($"SELECT DISTINCT provider_id FROM {MessageWords.Days} WHERE bucket_start < @At", MessageWords.DayStart(cutoff).AddDays(1),
            async (connection, providerId) => await MessageWords.PurgeAsync(connection, providerId, cutoff, ct), ct);

    /// <summary>Interactions kept whose messages older than the cut-off were purged: recount them (and their rollup sums).</summary>
    private Task<long> PurgeMessageCountsAsync(DateTime cutoff, CancellationToken ct) =>
        FixPerProviderAsync($"SELECT DISTINCT provider_id FROM {Rollups.Messages.Name} WHERE bucket_start < @At", cutoff,
            async (connection, providerId) => await MessageCounts.PurgeAsync(connection, providerId, cutoff, ct), ct);

    /// <summary>
    /// Runs <paramref name="fix"/> for each provider <paramref name="providersSql"/> names (parameter <c>@At</c>), each in a
    /// transaction of its own under the provider's ingest lock, as ingest keeps the same derived tables. Returns the rows fixed.
    /// </summary>
    private async Task<long> FixPerProviderAsync(string providersSql, DateTime at, Func<NpgsqlConnection, long, Task<long>> fix, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var providers = (await connection.QueryAsync<long>(new CommandDefinition(providersSql, new { At = at }, cancellationToken: ct))).ToList();
        long total = 0;
        foreach (var providerId in providers)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await Rollups.LockProvidersAsync(connection, [providerId], ct);
            total += await fix(connection, providerId);
            await transaction.CommitAsync(ct);
        }
        return total;
    }

    /// <summary>
    /// Rollups follow their raw rows: buckets wholly before the cut-off are deleted, and the bucket holding the cut-off
    /// (15 minutes or an hour, the rollup's grain) is recomputed from what is left of it (under each provider's ingest lock).
    /// </summary>
    private async Task PurgeRollupsAsync(DateTime cutoff, CancellationToken ct)
    {
        foreach (var rollup in Rollups.All)
        {
            var edge = rollup.BucketStart(cutoff);
            await DeleteInBatchesAsync(CtidDelete(rollup.Name, "bucket_start"), edge, ct);
            if (edge == cutoff)
                continue;
            await FixPerProviderAsync($"SELECT DISTINCT provider_id FROM {rollup.Name} WHERE bucket_start = @At", edge,
                async (connection, providerId) => await Rollups.RebuildAsync(connection, rollup, providerId, edge, edge + rollup.Step, ct), ct);
        }
    }
}
