namespace KoopidDashboard.Infrastructure.Database;

/// <summary>SPEC §8: started with a connection string, the service migrates the database before serving.</summary>
public static class StartupMigration
{
    public static async Task RunAsync(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Migrations");
        var connectionString = DatabaseOptions.GetConnectionString(configuration);

        // The database may still be starting (containers, the run script): retry for a while instead of crashing.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Migrator.Migrate(connectionString, logger);
                return;
            }
            catch (Exception e) when (attempt < 15 && Http.StoreUnavailableHandler.IsStoreUnavailable(e))
            {
                logger.LogWarning("Database not reachable yet (attempt {Attempt}); retrying in 2 s", attempt);
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
