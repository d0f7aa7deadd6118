using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// Keeps TopWords' word tier current (<see cref="MessageWords"/>): recomputes the days ingest marked once they have not been
/// written for <c>Rollups:WordSettleSeconds</c> (default 5), so a bulk load or a live day is not re-tokenised batch after
/// batch, and idles <see cref="Idle"/> when none waits. Runs on the primary while <c>Rollups:Enabled</c> and
/// <c>Rollups:WordWorker</c> (both default true); several instances share the work (the provider lock serialises them).
/// </summary>
public sealed class MessageWordsWorker([FromKeyedServices(DatabaseRegistration.Primary)] NpgsqlDataSource db, IConfiguration configuration, ILogger<MessageWordsWorker> logger) : BackgroundService
{
    /// <summary>Days per transaction: the big bench tenant's day is ≈ 2.5 k texts, so a pass holds its lock for tens of ms.</summary>
    private const int DaysPerPass = 8;

    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue(RollupSplit.EnabledKey, true) || !configuration.GetValue("Rollups:WordWorker", true))
            return;
        var settle = TimeSpan.FromSeconds(configuration.GetValue("Rollups:WordSettleSeconds", 5.0));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await MessageWords.RefreshAsync(db, settle, DaysPerPass, null, stoppingToken) == 0)
                        await Task.Delay(Idle, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // a database outage or a failover: TopWords reads the waiting days raw meanwhile
                    logger.LogWarning("Word tier pass skipped: {Reason}", e.GetBaseException().Message);
                    await Task.Delay(AfterFailure, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
