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
        // Npgsql's default pool (100) equals PostgreSQL's default max_connections (100, 3 reserved): under a stall the
        // server runs out of slots before the pool limits itself. Unless the connection string says otherwise, stay below.
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase))
            builder.ConnectionStringBuilder.MaxPoolSize = 40;
        // Every slice runs the same few constant SQL texts: let Npgsql prepare them server-side after their second use
        // (parse + plan once per connection). An explicit "Max Auto Prepare" in the connection string wins.
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            builder.ConnectionStringBuilder.MaxAutoPrepare = 128;
        // PostgreSQL's JIT compiles "expensive" plans at every execution; for these short analytic queries compiling costs
        // more than it saves (Summary: 481 → 148 ms at 10 M messages, 30 days). After five executions of a prepared
        // statement PostgreSQL may switch to a generic plan, costed without the parameter values: it then guesses a few
        // rows for a range that holds 15 k–200 k and picks nested loops (10 M messages, 400 days: Intents 760 → 426 ms,
        // AgentSessionStats 557 → 370, CustomerEndpoint 487 → 346, Summary 365 → 252 with a plan per execution, at the
        // cost of ≈ 0.3–1 ms of planning; BENCHMARKS.md). Statements stay prepared (no re-parse). An explicit Options= in
        // the connection string wins.
        if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.Options))
            builder.ConnectionStringBuilder.Options = "-c jit=off -c plan_cache_mode=force_custom_plan";
        return builder.Build();
    }
}
