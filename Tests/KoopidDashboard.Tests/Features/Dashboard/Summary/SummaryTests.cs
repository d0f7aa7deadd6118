using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.Summary;

[Collection(PostgresCollection.Name)]
public sealed class SummaryTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    // "Now" is 2026-03-02 18:00Z: agent 8's open session has run since 08:00.
    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 2, 18, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // 2026-03-01 00:00Z, 03-02 00:00Z, 03-03 00:00Z, 03-04 00:00Z.
    private const long Mar1 = 1772323200000, Mar2 = 1772409600000, Mar3 = 1772496000000, Mar4 = 1772582400000;

    private static object I(long p, long id, string startedAt, long? customerId, string? queuedAt = null, string? answeredAt = null,
        string? abandonedAt = null, string? endedAt = null, long? agentId = null, long? botId = null, double? sentiment = null, int? csat = null) => new
    {
        type = "interaction", providerId = p, interactionId = id, channel = "webchat", interactionType = "chat", startedAt, customerId,
        queueId = queuedAt is null ? (long?)null : 1, queuedAt, answeredAt, abandonedAt, endedAt, agentId, botId, sentiment, csat,
    };

    private static object M(long p, long id, long interactionId, string sentAt, string senderType) =>
        new { type = "message", providerId = p, messageId = id, interactionId, sentAt, senderType, text = "hi" };

    private static object Bot(long p, long id, string startedAt, string outcome) =>
        new { type = "botSession", providerId = p, botSessionId = id, botId = 1, startedAt, outcome };

    private static object Login(long p, long id, long agentId, string loginAt, string? logoutAt) =>
        new { type = "agentSession", providerId = p, sessionId = id, agentId, loginAt, logoutAt };

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p),
            new { type = "queue", providerId = p, queueId = 1, name = "Support" },
            // Previous day, 03-01.
            I(p, 1, "2026-03-01T10:00:00Z", 1, "2026-03-01T10:00:00Z", "2026-03-01T10:01:00Z", endedAt: "2026-03-01T10:11:00Z", agentId: 7, sentiment: 0.5, csat: 4),
            I(p, 2, "2026-03-01T11:00:00Z", 2, "2026-03-01T11:00:00Z", abandonedAt: "2026-03-01T11:02:00Z"),
            M(p, 1, 1, "2026-03-01T10:00:30Z", "customer"),
            M(p, 2, 1, "2026-03-01T10:02:00Z", "agent"),
            Bot(p, 1, "2026-03-01T09:00:00Z", "contained"),
            Login(p, 1, 7, "2026-03-01T08:00:00Z", "2026-03-01T12:00:00Z"),
            Login(p, 5, 10, "2026-03-01T06:00:00Z", "2026-03-01T07:00:00Z"),
            Login(p, 2, 7, "2026-03-01T23:00:00Z", "2026-03-02T01:00:00Z"), // crosses midnight: active on both days
            // The range, 03-02.
            I(p, 3, "2026-03-02T09:00:00Z", 1, "2026-03-02T09:00:00Z", "2026-03-02T09:00:30Z", endedAt: "2026-03-02T09:10:30Z", agentId: 7, sentiment: 1.0, csat: 5),
            I(p, 4, "2026-03-02T10:00:00Z", 3, "2026-03-02T10:00:00Z", "2026-03-02T10:01:30Z", endedAt: "2026-03-02T10:21:30Z", agentId: 8, sentiment: 0.0, csat: 3),
            I(p, 5, "2026-03-02T11:00:00Z", 3, botId: 1, sentiment: -0.5),
            I(p, 6, "2026-03-02T12:00:00Z", 4, "2026-03-02T12:00:00Z", abandonedAt: "2026-03-02T12:05:00Z", sentiment: 0.5),
            I(p, 7, "2026-03-02T23:30:00Z", null),
            M(p, 3, 3, "2026-03-02T09:01:00Z", "customer"),
            M(p, 4, 3, "2026-03-02T09:02:00Z", "agent"),
            M(p, 5, 4, "2026-03-02T10:02:00Z", "agent"),
            M(p, 6, 4, "2026-03-02T10:03:00Z", "agent"),
            M(p, 7, 5, "2026-03-02T11:00:10Z", "bot"),
            Bot(p, 2, "2026-03-02T11:00:00Z", "contained"),
            Bot(p, 3, "2026-03-02T11:30:00Z", "escalated"),
            Bot(p, 4, "2026-03-02T13:00:00Z", "abandoned"),
            Bot(p, 5, "2026-03-02T14:00:00Z", "contained"),
            Login(p, 3, 8, "2026-03-02T08:00:00Z", null));                  // open: counts until now
        return p;
    }

    [Fact]
    public async Task Every_card_compares_the_range_with_the_previous_range_of_equal_length()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Summary", $$"""{"start":{{Mar2}},"end":{{Mar3}}}""");

        Assert.Equal((Mar2, Mar3, "total", "UTC"), ((long)body["start"]!, (long)body["end"]!, (string)body["interval"]!, (string)body["tz"]!));
        Assert.Equal((Mar1, Mar2), ((long)body["previousStart"]!, (long)body["previousEnd"]!));
        var c = body["totals"]!;
        Assert.Equal((5.0, 2.0, 1.5), Card(c["interactions"]!));             // ids 3–7 vs 1–2: (5 − 2) / 2
        Assert.Equal((3.0, 2.0, 0.5), Card(c["uniqueCustomers"]!));          // {1, 3, 4} vs {1, 2}
        Assert.Equal((5.0, 2.0, 1.5), Card(c["messages"]!));
        Assert.Equal((2.0, 1.0, 1.0), Card(c["answered"]!));                 // 3, 4 vs 1
        var abandon = Card(c["abandonRate"]!);                                // 1/3 (id 6 of 3, 4, 6) vs 1/2 (id 2 of 1, 2)
        Assert.Equal(1.0 / 3, abandon.Value!.Value, 12);
        Assert.Equal(0.5, abandon.Previous);
        Assert.Equal(-1.0 / 3, abandon.Change!.Value, 12);                   // (1/3 − 1/2) / (1/2)
        Assert.Equal((60.0, 60.0, 0.0), Card(c["waitSecondsAvg"]!));         // (30 + 90) / 2 vs 60
        Assert.Equal((900.0, 600.0, 0.5), Card(c["handleSecondsAvg"]!));     // (600 + 1200) / 2 vs 600
        Assert.Equal((60.0, 60.0, 0.0), Card(c["firstResponseSecondsAvg"]!)); // (09:02 − 09:00:30 = 90, 10:02 − 10:01:30 = 30) / 2 vs 10:02 − 10:01
        Assert.Equal((0.5, 1.0, -0.5), Card(c["containmentRate"]!));         // 2 of 4 vs 1 of 1
        Assert.Equal((0.25, 0.5, -0.5), Card(c["avgSentiment"]!));           // (1.0 + 0.0 − 0.5 + 0.5) / 4 vs 0.5
        Assert.Equal((4.0, 4.0, 0.0), Card(c["avgCsat"]!));                  // (5 + 3) / 2 vs 4
        Assert.Equal((2.0, 2.0, 0.0), Card(c["activeAgents"]!));             // {7 (till 01:00), 8 (open)} vs {7, 10}

        var bucket = body["buckets"]!.AsArray().Single()!;
        Assert.Equal((Mar2, Mar3, 5L, 0.5), ((long)bucket["start"]!, (long)bucket["end"]!, (long)bucket["interactions"]!, (double)bucket["containmentRate"]!));
        Assert.Equal(12, body["rows"]!.AsArray().Count);
        Assert.Equal("interactions", (string)body["rows"]![0]!["metric"]!);
    }

    [Fact]
    public async Task An_open_session_does_not_make_an_agent_active_in_a_range_after_now()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Summary", $$"""{"start":{{Mar3}},"end":{{Mar4}}}""");

        // Range 03-03 starts after now (03-02 18:00): agent 8's open session has not reached it. Previous = 03-02: agents 7 and 8.
        Assert.Equal((0.0, 2.0, -1.0), Card(body["totals"]!["activeAgents"]!)); // (0 − 2) / 2
        Assert.Equal((0.0, 5.0, -1.0), Card(body["totals"]!["interactions"]!));
    }

    [Fact]
    public async Task A_previous_range_without_data_gives_null_change_ratios()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Summary", $$"""{"start":{{Mar1}},"end":{{Mar2}}}""");

        // Previous = 02-28: nothing. Counts 0 → ratio null; averages null → ratio null.
        Assert.Equal((2.0, 0.0, null), Card(body["totals"]!["interactions"]!));
        Assert.Equal((60.0, null, null), Card(body["totals"]!["waitSecondsAvg"]!));
        Assert.Equal((1.0, null, null), Card(body["totals"]!["containmentRate"]!));
    }

    [Fact]
    public async Task Csv_rows_list_one_card_per_line()
    {
        var p = await LoadAsync();

        var rows = await CsvAsync(Pa(app, p), "/Dashboard/Summary?csv=rows", $$"""{"start":{{Mar2}},"end":{{Mar3}}}""", HttpStatusCode.Created);
        var buckets = await CsvAsync(Pa(app, p), "/Dashboard/Summary", $$"""{"start":{{Mar2}},"end":{{Mar3}}}""", HttpStatusCode.Created);

        Assert.Equal(13, rows.Length);
        Assert.Equal("metric,value,previous,changeRatio", rows[0]);
        Assert.Equal("interactions,5,2,1.5", rows[1]);
        Assert.Equal("activeAgents,2,2,0", rows[12]);
        Assert.Equal(2, buckets.Length);
        Assert.StartsWith("start,end,interactions,uniqueCustomers,messages,answered,", buckets[0]);
        Assert.StartsWith($"{Mar2},{Mar3},5,3,5,2,", buckets[1]);
    }

    [Fact]
    public async Task A_negative_start_is_a_400_naming_start()
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await PostAsync(Pa(app, p), "/Dashboard/Summary", """{"start":-5,"end":1000}""", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "start");
    }

    private static (double? Value, double? Previous, double? Change) Card(JsonNode n) => (Num(n["value"]), Num(n["previous"]), Num(n["changeRatio"]));
}
