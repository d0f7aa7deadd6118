using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.DBStats;

[Collection(PostgresCollection.Name)]
public sealed class DBStatsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private const long Oldest = 1772269200000, Newest = 1772712000000; // 2026-02-28 09:00Z (a login), 2026-03-05 12:00Z (a message)

    private static readonly string[] Tables =
        ["providers", "agents", "queues", "bots", "customers", "customer_endpoints", "interactions", "messages", "messages_raw", "agent_sessions", "bot_sessions", "api_keys"];

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p),
            new { type = "agent", providerId = p, agentId = 1, name = "Ada" },
            new { type = "agent", providerId = p, agentId = 2, name = "Bo" },
            new { type = "queue", providerId = p, queueId = 1, name = "Support" },
            Interaction(p, 1, "2026-03-01T10:00:00Z"),
            Interaction(p, 2, "2026-03-02T10:00:00Z"),
            Interaction(p, 3, "2026-03-03T10:00:00Z", "2026-03-06T10:00:00Z"), // ends later, but an end is not an event here
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-01T10:00:05Z", senderType = "customer", text = "hi" },
            new { type = "message", providerId = p, messageId = 2, interactionId = 3, sentAt = "2026-03-05T12:00:00Z", senderType = "agent", text = "bye" },
            new { type = "agentSession", providerId = p, sessionId = 1, agentId = 1, loginAt = "2026-02-28T09:00:00Z", logoutAt = "2026-02-28T17:00:00Z" },
            new { type = "botSession", providerId = p, botSessionId = 1, botId = 1, startedAt = "2026-03-02T10:00:00Z" });
        return p;
    }

    [Fact]
    public async Task A_ProviderAdmin_gets_its_exact_row_counts_and_data_span_and_no_database_figures()
    {
        var p = await LoadAsync();
        var other = await LoadAsync(); // the same data under another provider must not be counted

        var body = await PostAsync(Pa(app, p), "/Dashboard/DBStats", "");

        Assert.Equal(("provider", p), ((string)body["scope"]!, (long)body["providerId"]!));
        Assert.Equal((Oldest, Newest), ((long)body["oldestEventAt"]!, (long)body["newestEventAt"]!));
        Assert.Null(body["databaseBytes"]);
        Assert.Null(body["providerCount"]);
        var rows = body["rows"]!.AsArray().ToDictionary(r => (string)r!["table"]!, r => ((long)r!["rows"]!, (bool)r["rowsExact"]!, Num(r["bytes"])));
        Assert.Equal(Tables, rows.Keys);
        Assert.Equal((1L, true, null), rows["providers"]);
        Assert.Equal(2, rows["agents"].Item1);
        Assert.Equal(1, rows["queues"].Item1);
        Assert.Equal(0, rows["bots"].Item1); // the bot session names bot 1, but no bot event was sent
        Assert.Equal(3, rows["interactions"].Item1);
        Assert.Equal(2, rows["messages"].Item1);
        Assert.Equal(1, rows["agent_sessions"].Item1);
        Assert.Equal(1, rows["bot_sessions"].Item1);
        Assert.Equal(0, rows["api_keys"].Item1);

        var named = await PostAsync(Admin(app), "/Dashboard/DBStats", $$"""{"providerId":{{other}}}""");
        Assert.Equal(("provider", other, 3L), ((string)named["scope"]!, (long)named["providerId"]!, (long)named["rows"]![6]!["rows"]!));
    }

    [Fact]
    public async Task A_KoopidAdmin_without_a_provider_gets_the_platform_view()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Admin(app), "/Dashboard/DBStats", "");

        Assert.Equal("platform", (string)body["scope"]!);
        Assert.Null(body["providerId"]);
        Assert.True((long)body["databaseBytes"]! > 0);
        Assert.True((int)body["connections"]! >= 1);                        // at least this request's
        Assert.True((int)body["maxConnections"]! >= (int)body["connections"]!);
        Assert.InRange((double)body["cacheHitRatio"]!, 0.0, 1.0);
        Assert.True((long)body["providerCount"]! >= 1);
        Assert.True((long)body["oldestEventAt"]! <= Oldest);               // other tests' data may be older
        Assert.True((long)body["newestEventAt"]! >= Newest);
        var rows = body["rows"]!.AsArray();
        Assert.Equal(Tables, rows.Select(r => (string)r!["table"]!));
        Assert.All(rows, r => Assert.True((long)r!["bytes"]! > 0));       // every table has at least its primary key's index page
        Assert.All(rows, r => Assert.True((bool)r!["rowsExact"]!));       // the test database is far below 100 000 rows per table
        Assert.True((long)rows.Single(r => (string)r!["table"]! == "interactions")!["rows"]! >= 3);
    }

    [Fact]
    public async Task A_ProviderAdmin_naming_another_provider_gets_403()
    {
        var p = await LoadAsync();
        using var response = await Pa(app, p).PostAsync("/Dashboard/DBStats", new StringContent($$"""{"providerId":{{p + 1}}}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Csv_lists_the_tables()
    {
        var p = await LoadAsync();

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/DBStats", "{}", HttpStatusCode.Created);

        Assert.Equal(13, lines.Length);
        Assert.Equal("table,rows,rowsExact,bytes", lines[0]);
        Assert.Equal("interactions,3,true,", lines[7]);
    }

    [Fact]
    public async Task A_providerId_of_zero_is_a_400_naming_it()
    {
        var problem = await PostAsync(Admin(app), "/Dashboard/DBStats", """{"providerId":0}""", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "providerId");
    }
}
