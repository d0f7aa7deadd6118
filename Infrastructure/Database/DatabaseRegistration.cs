using Npgsql;

namespace KoopidDashboard.Infrastructure.Database;

public static class DatabaseRegistration
{
    /// <summary>DI key of the primary's <see cref="NpgsqlDataSource"/>: inject with <c>[FromKeyedServices(DatabaseRegistration.Primary)]</c>.</summary>
    public const string Primary = "primary";

    /// <summary>
    /// Two pooled <see cref="NpgsqlDataSource"/>s for the whole process. The keyed <see cref="Primary"/> one
    /// (<c>ConnectionStrings:Koopid</c>) takes every write: ingest, API keys, retention, migrations. The default one, which the
    /// read-only dashboard slices inject, uses <c>ConnectionStrings:KoopidRead</c> when set (a read replica, or a multi-host
    /// string with <c>Target Session Attributes=prefer-standby</c>) and is the primary itself otherwise.
    /// </summary>
    public static IServiceCollection AddKoopidDatabase(this IServiceCollection services)
    {
        services.AddKeyedSingleton(Primary, (sp, _) => BuildDataSource(DatabaseOptions.GetConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton(sp => DatabaseOptions.GetReadConnectionString(sp.GetRequiredService<IConfiguration>()) is { } read
            ? BuildDataSource(read)
            : sp.GetRequiredKeyedService<NpgsqlDataSource>(Primary));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        return services;
    }

    public static NpgsqlDataSource BuildDataSource(string connectionString)
    {
        // SQL speaks snake_case, C# PascalCase: let Dapper map wait_seconds_avg to WaitSecondsAvg.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Bounded waits: a request must fail fast with 503 rather than hang when the pool or the server is gone.
        builder.ConnectionStringBuilder.Timeout = Math.Min(builder.ConnectionStringBuilder.Timeout, 5);
        builder.ConnectionStringBuilder.ApplicationName ??= "koopid-dashboard";
        return builder.Build();
    }
}
