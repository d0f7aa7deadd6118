using KoopidDashboard.Infrastructure.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace KoopidDashboard.Tests.Support;

/// <summary>
/// One real PostgreSQL container for the whole test run (Testcontainers), migrated once. Tests isolate their data by
/// using provider ids of their own (<see cref="NewProviderId"/>). The image is configurable for machines without a registry.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private static long nextProviderId = 500_000;

    public PostgreSqlContainer Container { get; } = TestPostgres.Builder()
        // Durability is not under test (several times faster); every test app has its own pool, hence the connections.
        .WithCommand("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=500")
        .Build();

    public string ConnectionString { get; private set; } = "";

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Container.StartAsync();
        ConnectionString = Container.GetConnectionString();
        Migrator.Migrate(ConnectionString, NullLogger.Instance);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Container.DisposeAsync();
    }

    /// <summary>A provider id no other test uses, so tests share the database without seeing each other's rows.</summary>
    public static long NewProviderId() => Interlocked.Increment(ref nextProviderId);
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
