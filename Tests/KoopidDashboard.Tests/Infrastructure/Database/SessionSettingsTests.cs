using Dapper;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// The session settings every connection of the service gets (docs/performance.md, "Switches"): JIT off and a plan per
/// execution, unless the connection string brings its own Options.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SessionSettingsTests(PostgresFixture db)
{
    private static async Task<(string Jit, string PlanCacheMode)> SettingsAsync(string connectionString)
    {
        await using var dataSource = DatabaseRegistration.BuildDataSource(connectionString);
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QuerySingleAsync<string>("SHOW jit"), await connection.QuerySingleAsync<string>("SHOW plan_cache_mode"));
    }

    [Fact]
    public async Task Connections_default_to_jit_off_and_a_plan_per_execution()
    {
        Assert.Equal(("off", "force_custom_plan"), await SettingsAsync(db.ConnectionString));
    }

    [Fact]
    public async Task Explicit_options_in_the_connection_string_replace_the_defaults()
    {
        Assert.Equal(("on", "auto"), await SettingsAsync(db.ConnectionString + ";Options=-c jit=on"));
    }
}
