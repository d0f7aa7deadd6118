using System.Net;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.CustomerEndpoint;

[Collection(PostgresCollection.Name)]
public sealed class CustomerEndpointTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // 2026-03-02 00:00Z, 03-03 00:00Z, 03-04 00:00Z.
    private const long Day1 = 1772409600000, Day2 = 1772496000000, Day3 = 1772582400000;

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        long id = 0;
        object I(string at, long? customer, string channel) => Interaction(p, ++id, at, null, channel, channel == "voice" ? "voice" : "chat", customer);
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p),
            I("2026-02-01T09:00:00Z", 1, "webchat"),  // C1's first-ever, a month before the range
            I("2026-03-02T09:00:00Z", 1, "webchat"),  // day 1
            I("2026-03-02T09:00:00Z", 2, "sms"),      // C2's first-ever
            I("2026-03-02T10:00:00Z", 2, "webchat"),
            I("2026-03-02T11:00:00Z", null, "webchat"), // anonymous
            I("2026-03-02T12:00:00Z", 4, "voice"),    // C4's first-ever
            I("2026-03-03T09:00:00Z", 1, "sms"),      // day 2
            I("2026-03-03T10:00:00Z", 2, "webchat"),
            I("2026-03-03T11:00:00Z", 3, "webchat"),  // C3's first-ever
            I("2026-03-03T12:00:00Z", 3, "webchat"),
            I("2026-03-03T13:00:00Z", 4, "webchat"),
            I("2026-03-04T00:00:00Z", 5, "webchat")); // = end: outside (and C5 never appears)
        return p;
    }

    [Fact]
    public async Task New_customers_are_those_whose_first_ever_interaction_falls_in_the_bucket()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/CustomerEndpoint", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D","tz":"UTC"}""");

        var b = body["buckets"]!.AsArray();
        Assert.Equal([(Day1, Day2), (Day2, Day3)], b.Select(x => ((long)x!["start"]!, (long)x["end"]!)));
        // Day 1: 5 interactions; C1, C2, C4 unique; C2 and C4 start there (new), C1 returns.
        Assert.Equal((5L, 3L, 2L, 1L), Figures(b[0]!));
        // Day 2: 5 interactions; C1, C2, C3, C4; only C3 starts there.
        Assert.Equal((5L, 4L, 1L, 3L), Figures(b[1]!));
        // Range: 10; C1..C4; new C2, C3, C4 (C1 began in February).
        Assert.Equal((10L, 4L, 3L, 1L), Figures(body["totals"]!));

        var rows = body["rows"]!.AsArray();
        Assert.Equal(["webchat", "sms", "voice"], rows.Select(r => (string)r!["channel"]!));
        Assert.Equal((7L, 4L, 3L, 1L), Figures(rows[0]!)); // C1, C2, anon, C2, C3, C3, C4; new C2, C3, C4
        Assert.Equal((2L, 2L, 1L, 1L), Figures(rows[1]!)); // C2 (new), C1 (returning)
        Assert.Equal((1L, 1L, 1L, 0L), Figures(rows[2]!)); // C4 (new)
    }

    [Fact]
    public async Task First_ever_ignores_filters_so_a_customer_new_on_another_channel_is_returning_later()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/CustomerEndpoint", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D","tz":"UTC","channel":["webchat"]}""");

        // Day 2 webchat: C2, C3, C3, C4: C4 first came by voice on day 1, so only C3 is new.
        Assert.Equal((4L, 3L, 1L, 2L), Figures(body["buckets"]![1]!));
        // Range webchat: 7 interactions, C1..C4, new C2, C3, C4 (C4 via voice, still in the range).
        Assert.Equal((7L, 4L, 3L, 1L), Figures(body["totals"]!));
    }

    [Fact]
    public async Task A_New_York_fall_back_day_is_25_hours_and_holds_its_last_hour()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "America/New_York"),
            Interaction(p, 1, "2026-11-01T23:30:00-05:00", null, "sms", "sms", 7)); // 04:30Z on 11-02: the 25-hour day's last hour
        // 2026-11-01 00:00 EDT = 04:00Z = 1793505600000; 2026-11-02 00:00 EST = 05:00Z = 1793595600000.
        var body = await PostAsync(Pa(app, p), "/Dashboard/CustomerEndpoint", """{"start":1793505600000,"end":1793595600000,"interval":"P1D"}""");

        var bucket = body["buckets"]!.AsArray().Single()!;
        Assert.Equal(25 * 3_600_000L, (long)bucket["end"]! - (long)bucket["start"]!);
        Assert.Equal((1L, 1L, 1L, 0L), Figures(bucket));
    }

    [Fact]
    public async Task An_empty_range_answers_zeros()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/CustomerEndpoint", """{"start":1780000000000,"end":1780086400000,"interval":"PT1H","tz":"UTC"}""");

        // 1780000000000 is 26:40 past an hour: a partial first hour, 23 whole ones, a partial last = 25 buckets.
        Assert.Equal(25, body["buckets"]!.AsArray().Count);
        Assert.Equal(1780002000000, (long)body["buckets"]![0]!["end"]!); // 1780000000000 + 33:20 (2 000 000 ms) to the next whole hour
        Assert.All(body["buckets"]!.AsArray(), x => Assert.Equal((0L, 0L, 0L, 0L), Figures(x!)));
        Assert.Equal((0L, 0L, 0L, 0L), Figures(body["totals"]!));
        Assert.Empty(body["rows"]!.AsArray());
    }

    [Fact]
    public async Task Csv_has_one_line_per_bucket_and_rows_on_request()
    {
        var p = await LoadAsync();
        var json = $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D","tz":"UTC"}""";

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/CustomerEndpoint", json, HttpStatusCode.Created);
        var rows = await CsvAsync(Pa(app, p), "/Dashboard/CustomerEndpoint?csv=rows", json, HttpStatusCode.Created);

        Assert.Equal(["start,end,interactions,uniqueCustomers,newCustomers,returningCustomers", $"{Day1},{Day2},5,3,2,1", $"{Day2},{Day3},5,4,1,3"], lines);
        Assert.Equal("channel,interactions,uniqueCustomers,newCustomers,returningCustomers", rows[0]);
        Assert.Equal("webchat,7,4,3,1", rows[1]);
    }

    [Fact]
    public async Task An_unknown_time_zone_is_a_400_naming_tz()
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await PostAsync(Pa(app, p), "/Dashboard/CustomerEndpoint", """{"tz":"Mars/Olympus"}""", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "tz");
    }

    private static (long, long, long, long) Figures(System.Text.Json.Nodes.JsonNode n) =>
        ((long)n["interactions"]!, (long)n["uniqueCustomers"]!, (long)n["newCustomers"]!, (long)n["returningCustomers"]!);
}
