using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// <c>ConnectionStrings:KoopidRead</c> with a real streaming replica: a primary container and a standby cloned from it with
/// <c>pg_basebackup -R</c> on a private Docker network. Reads are served by the standby, writes by the primary, and reads
/// go on (from the primary, <c>Target Session Attributes=prefer-standby</c>) when the standby is stopped.
/// </summary>
[Collection(OwnContainersCollection.Name)]
public sealed class ReadReplicaTests : IAsyncLifetime
{
    private const string ReplicationPassword = "replica-test";
    private const string ReadApplicationName = "koopid-read-test";

    // Sourced by the image's entry point during initdb (official image and scripts/postgres-image.sh alike).
    private const string ReplicationInit = $"""
        psql -v ON_ERROR_STOP=1 --no-psqlrc -q -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '{ReplicationPassword}'"
        echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"

        """;

    // Clones the primary (retrying until it accepts replication connections), writes standby.signal and
    // primary_conninfo (-R), then runs the server as a hot standby. Runs as user postgres in both images.
    private const string StandbyScript = """
        set -e
        until pg_basebackup -h primary -p 5432 -U replicator -D /tmp/standby -R -X stream -c fast; do rm -rf /tmp/standby; sleep 0.5; done
        chmod 700 /tmp/standby
        exec postgres -D /tmp/standby -c listen_addresses='*' -c hot_standby=on -c fsync=off -c unix_socket_directories=/tmp
        """;

    private readonly INetwork network = new NetworkBuilder().WithLogger(NullLogger.Instance).Build();
    private readonly PostgreSqlContainer primary;
    private readonly IContainer standby;

    public ReadReplicaTests()
    {
        primary = TestPostgres.Builder()
            .WithNetwork(network).WithNetworkAliases("primary")
            .WithResourceMapping(Encoding.UTF8.GetBytes(ReplicationInit), "/docker-entrypoint-initdb.d/10-replication.sh")
            .WithCommand("-c", "wal_level=replica", "-c", "max_wal_senders=5", "-c", "fsync=off", "-c", "synchronous_commit=off")
            .Build();
        standby = new ContainerBuilder(TestPostgres.Image)
            .WithNetwork(network)
            .WithEnvironment("PGPASSWORD", ReplicationPassword)
            .WithCreateParameterModifier(p => (p.User, p.StopSignal) = ("postgres", "SIGINT")) // fast shutdown, as TestPostgres.Builder
            .WithEntrypoint("sh", "-c", StandbyScript)
            .WithPortBinding(5432, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("ready to accept read-only connections"))
            .WithLogger(NullLogger.Instance) // Testcontainers logs to Console, which the CLI tests capture
            .Build();
    }

    public async Task InitializeAsync()
    {
        await network.CreateAsync();
        await primary.StartAsync();
        Migrator.Migrate(primary.GetConnectionString(), NullLogger.Instance);
        await standby.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await standby.DisposeAsync();
        await primary.DisposeAsync();
        await network.DisposeAsync();
    }

    private string StandbyConnectionString =>
        $"Host=127.0.0.1;Port={standby.GetMappedPublicPort(5432)};Database=koopid;Username=koopid;Password={TestPostgres.Password}";

    private string PrimaryHostPort => $"127.0.0.1:{primary.GetMappedPublicPort(5432)}";

    private static object Interaction(long p, long id) => new
    {
        type = "interaction", providerId = p, interactionId = id, channel = "webchat", interactionType = "chat", startedAt = "2026-03-08T09:00:00Z",
    };

    [Fact]
    public async Task Reads_are_served_by_the_standby_writes_by_the_primary_and_reads_survive_the_standby_stopping()
    {
        // Read side: the standby first, the primary when no standby answers.
        var read = $"Host=127.0.0.1:{standby.GetMappedPublicPort(5432)},{PrimaryHostPort};Database=koopid;Username=koopid;Password={TestPostgres.Password};"
            + $"Target Session Attributes=prefer-standby;Application Name={ReadApplicationName};Timeout=3";
        await using var app = new KoopidApp(primary.GetConnectionString() + ";Timeout=3", settings: new Dictionary<string, string?> { ["ConnectionStrings:KoopidRead"] = read });
        var client = app.KoopidAdmin();
        const long p = 4242;
        const string range = """{"start":1772928000000,"end":1773014400000,"interval":"total"}"""; // 2026-03-08 UTC

        // Write through the API: the standby is read-only, so a 200 with rows on the primary proves where it went.
        var ingest = await Ndjson.IngestAsync(client, Ndjson.Provider(p), Interaction(p, 1), Interaction(p, 2));
        Assert.Equal(3, (int)ingest["accepted"]!);
        await using var standbyDb = NpgsqlDataSource.Create(StandbyConnectionString);
        await using (var s = await standbyDb.OpenConnectionAsync())
        {
            Assert.True(await s.ExecuteScalarAsync<bool>("SELECT pg_is_in_recovery()"));
            await WaitForAsync(async () => await s.ExecuteScalarAsync<long>("SELECT count(*) FROM interactions WHERE provider_id = @p", new { p }) == 2);

            // Freeze the standby's replay, then write a third interaction on the primary: only a read served by the
            // standby still counts 2.
            await s.ExecuteAsync("SELECT pg_wal_replay_pause()");
            await Ndjson.IngestAsync(client, Interaction(p, 3));
            Assert.Equal(2, await StartedAsync(client, p, range));
            // slices that open a transaction of their own (TopWords' snapshot, Summary's generic plan) are served there too
            foreach (var slice in new[] { "TopWords", "Summary" })
            {
                using var response = await client.PostAsync($"/Dashboard/{slice}?providerId={p}", new StringContent(range));
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            }

            // …and the connection that served it is the read pool's, on the standby, not on the primary.
            Assert.True(await s.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = @ReadApplicationName", new { ReadApplicationName }) >= 1);
            await s.ExecuteAsync("SELECT pg_wal_replay_resume()");
            await WaitForAsync(async () => await StartedAsync(client, p, range) == 3);
        }
        await using (var primaryDb = NpgsqlDataSource.Create(primary.GetConnectionString()))
        await using (var c = await primaryDb.OpenConnectionAsync())
        {
            Assert.Equal(3, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM interactions WHERE provider_id = @p", new { p }));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE application_name = @ReadApplicationName", new { ReadApplicationName }));
        }

        // Standby gone: a pooled connection to it may fail one request (503, retryable); then reads come from the primary.
        await standby.StopAsync();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 5 && statuses.LastOrDefault() != HttpStatusCode.Created; attempt++)
        {
            using var response = await client.PostAsync($"/Dashboard/Interactions?providerId={p}", new StringContent(range));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Created)
                Assert.Equal(3, (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["totals"]!["started"]!);
        }
        Assert.Equal(HttpStatusCode.Created, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
    }

    private static async Task<long> StartedAsync(HttpClient client, long p, string range)
    {
        using var response = await client.PostAsync($"/Dashboard/Interactions?providerId={p}", new StringContent(range));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (long)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["totals"]!["started"]!;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "replication did not catch up within 20 s");
            await Task.Delay(100);
        }
    }
}
