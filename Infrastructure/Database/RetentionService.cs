using Dapper;
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

    /// <summary>Each history table with the time that ages it; ctid batches avoid long locks and huge transactions.</summary>
    private static readonly (string Table, string TimeColumn)[] History =
    [
        ("messages", "sent_at"),
        ("interactions", "started_at"),
        ("bot_sessions", "started_at"),
        ("agent_sessions", "login_at"),
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
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Retention pass skipped: {Reason}", e.GetBaseException().Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Deletes everything older than the cut-off; returns the rows removed per table.</summary>
    public async Task<IReadOnlyDictionary<string, long>> PurgeAsync(CancellationToken ct)
    {
        var days = configuration.GetValue("Retention:HistoryDays", 365);
        var cutoff = time.GetUtcNow().UtcDateTime.AddDays(-days);
        var removed = new Dictionary<string, long>();
        foreach (var (table, column) in History)
        {
            long total = 0;
            int deleted;
            do
            {
                await using var connection = await db.OpenConnectionAsync(ct);
                // Identifiers come from the constant list above; the cut-off is a parameter.
                deleted = await connection.ExecuteAsync(new CommandDefinition(
                    $"DELETE FROM {table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {column} < @Cutoff LIMIT {BatchSize}))",
                    new { Cutoff = cutoff }, cancellationToken: ct));
                total += deleted;
            }
            while (deleted == BatchSize && !ct.IsCancellationRequested);
            removed[table] = total;
            if (total > 0)
                logger.LogInformation("Retention removed {Rows} rows from {Table} older than {Days} days", total, table, days);
        }
        return removed;
    }
}
