using System.Net;
using System.Text;
using KoopidDashboard.Tests.Support;
using Testcontainers.PostgreSql;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// SPEC §8: database unreachable → 503 problem with Retry-After, and the service recovers by itself. Uses a container
/// of its own on a fixed host port, so stopping it does not disturb other tests and restarting keeps the address.
/// </summary>
[Collection(OwnContainersCollection.Name)]
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly PostgreSqlContainer container;

    public DatabaseOutageTests()
    {
        container = TestPostgres.Builder().WithPortBinding(TestPostgres.FreePort(), 5432).Build();
    }

    public Task InitializeAsync() => container.StartAsync();

    public Task DisposeAsync() => container.DisposeAsync().AsTask();

    [Fact]
    public async Task While_the_database_is_stopped_requests_get_503_and_service_resumes_when_it_returns()
    {
        var connectionString = container.GetConnectionString() + ";Timeout=3";
        await using var app = new KoopidApp(connectionString);
        var client = app.KoopidAdmin();
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(client, Ndjson.Provider(p));
        const string range = """{"start":1772928000000,"end":1773014400000,"interval":"total"}""";

        await container.StopAsync();
        using var down = await client.PostAsync($"/Dashboard/Interactions?providerId={p}", new StringContent(range));
        using var ingestDown = await client.PostAsync("/Ingest/Events", new StringContent(Ndjson.Lines(Ndjson.Provider(p)), Encoding.UTF8, "application/x-ndjson"));
        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
        Assert.Equal("5", down.Headers.RetryAfter?.ToString());
        Assert.Equal("Database unavailable", (string)(await Ndjson.ReadObjectAsync(down))["title"]!);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ingestDown.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        await container.StartAsync();
        HttpStatusCode status = default;
        for (var attempt = 0; attempt < 30 && status != HttpStatusCode.Created; attempt++)
        {
            using var again = await client.PostAsync($"/Dashboard/Interactions?providerId={p}", new StringContent(range));
            status = again.StatusCode;
            if (status != HttpStatusCode.Created)
                await Task.Delay(500);
        }
        Assert.Equal(HttpStatusCode.Created, status);
    }
}
