using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.RedactedFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.ConversationStats;

[Collection(PostgresCollection.Name)]
public sealed class ConversationStatsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString); // every call names start and end: "now" plays no part
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private const string Card = "4111111111111111"; // Luhn-valid Visa test number: <CREDIT_CARD> for the stub and the real engine

    [Fact]
    public async Task New_York_days_follow_local_midnights_across_spring_forward_and_empty_days_are_present()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p, "America/New_York"),
            // 03-08 04:30Z = 03-07 23:30 EST → day 03-07; ended 05:20Z: 50 min = 3000 s
            Interaction(p, 1, "2026-03-08T04:30:00Z", "2026-03-08T05:20:00Z", sentiment: 0.5),
            Message(p, 11, 1, "2026-03-08T04:31:00Z", "hello"),                              // day 03-07
            Message(p, 12, 1, "2026-03-08T05:10:00Z", $"card {Card}"),                        // 00:10 EST → day 03-08
                                                                                              // 03-09 03:30Z = 03-08 23:30 EDT → day 03-08 (the 23-hour day); 10 min = 600 s; no sentiment
            Interaction(p, 2, "2026-03-09T03:30:00Z", "2026-03-09T03:40:00Z"),
            Message(p, 21, 2, "2026-03-09T03:31:00Z", "Hi, how can I help?", "agent", 7),
            Message(p, 22, 2, "2026-03-09T03:32:00Z", $"it is {Card}"),
            // 03-09 04:30Z = 03-09 00:30 EDT → day 03-09 (a 24-hour day from 03-08 05:00Z would wrongly hold it); open, no messages
            Interaction(p, 3, "2026-03-09T04:30:00Z", sentiment: -0.5));

        // [2026-03-07 00:00 EST, 2026-03-11 00:00 EDT)
        var body = await GetObjectAsync(app.ProviderAdmin(p), $"/Dashboard/{p}/ConversationStats?start=1772859600000&end=1773201600000&tz=America/New_York");

        Assert.Equal(p, (long)body["providerId"]!);
        Assert.Equal((1772859600000, 1773201600000, "P1D", "America/New_York"),
            ((long)body["start"]!, (long)body["end"]!, (string)body["interval"]!, (string)body["tz"]!));
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(4, buckets.Count);
        // 03-07 05:00Z, 03-08 05:00Z, then +23 h = 03-09 04:00Z, +24 h = 03-10 04:00Z, +24 h = 03-11 04:00Z
        Assert.Equal([1772859600000, 1772946000000, 1773028800000, 1773115200000], buckets.Select(b => (long)b!["start"]!));
        Assert.Equal([1772946000000, 1773028800000, 1773115200000, 1773201600000], buckets.Select(b => (long)b!["end"]!));
        Assert.Equal(82_800_000, (long)buckets[1]!["end"]! - (long)buckets[1]!["start"]!); // 23 h

        AssertDay(buckets[0]!, conversations: 1, messages: 1, perConversation: 2.0, duration: 3000.0, entities: 0, cards: 0, sentiment: 0.5);
        AssertDay(buckets[1]!, conversations: 1, messages: 3, perConversation: 2.0, duration: 600.0, entities: 2, cards: 2, sentiment: null);
        // conversation 3 has 0 messages: the average over [0] is 0; it has not ended: no duration sample
        AssertDay(buckets[2]!, conversations: 1, messages: 0, perConversation: 0.0, duration: null, entities: 0, cards: 0, sentiment: -0.5);
        AssertDay(buckets[3]!, conversations: 0, messages: 0, perConversation: null, duration: null, entities: 0, cards: 0, sentiment: null);
        // totals: 3 conversations; 4 messages; (2 + 2 + 0) / 3; (3000 + 600) / 2 = 1800; (0.5 − 0.5) / 2 = 0
        AssertDay(body["totals"]!, conversations: 3, messages: 4, perConversation: 4.0 / 3, duration: 1800.0, entities: 2, cards: 2, sentiment: 0.0);
        Assert.Equal(["EMAIL", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS", "URL"],
            body["totals"]!["redactedEntitiesByType"]!.AsObject().Select(kv => kv.Key));
    }

    [Fact]
    public async Task The_fall_back_day_is_25_hours_long_and_holds_its_last_local_hour()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p, "America/New_York"),
            Interaction(p, 1, "2026-11-02T04:30:00Z")); // 11-01 23:30 EST → day 11-01

        // [2026-10-31 00:00 EDT, 2026-11-02 00:00 EST)
        var body = await GetObjectAsync(app.ProviderAdmin(p), $"/Dashboard/{p}/ConversationStats?start=1793419200000&end=1793595600000&tz=America/New_York");

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal([1793419200000, 1793505600000], buckets.Select(b => (long)b!["start"]!)); // 10-31 04:00Z, 11-01 04:00Z
        Assert.Equal(90_000_000, (long)buckets[1]!["end"]! - (long)buckets[1]!["start"]!);     // 25 h
        Assert.Equal([0L, 1L], buckets.Select(b => (long)b!["conversations"]!));
    }

    [Fact]
    public async Task Kolkata_days_start_at_18_30_utc_and_the_provider_zone_is_the_default()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p, "Asia/Kolkata"),
            Interaction(p, 1, "2026-03-08T18:29:59Z", sentiment: 1),    // 23:59:59 IST on 03-08
            Interaction(p, 2, "2026-03-08T18:30:00Z", sentiment: -1),   // 00:00 IST on 03-09
            Message(p, 21, 2, "2026-03-08T18:30:00Z", "namaste"));

        // [2026-03-08 00:00Z, 2026-03-09 00:00Z) = [05:30 IST, 05:30 IST next day): two partial local days; no tz → provider's
        var body = await GetObjectAsync(app.ProviderAdmin(p), $"/Dashboard/{p}/ConversationStats?start=1772928000000&end=1773014400000");

        Assert.Equal("Asia/Kolkata", (string)body["tz"]!);
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal([1772928000000, 1772994600000], buckets.Select(b => (long)b!["start"]!)); // 03-08 00:00Z, 03-08 18:30Z
        Assert.Equal([1772994600000, 1773014400000], buckets.Select(b => (long)b!["end"]!));
        Assert.Equal([1L, 1L], buckets.Select(b => (long)b!["conversations"]!));
        Assert.Equal([0L, 1L], buckets.Select(b => (long)b!["messages"]!));
        Assert.Equal([1.0, -1.0], buckets.Select(b => (double)b!["sentimentAvg"]!));
    }

    [Fact]
    public async Task An_empty_range_has_zero_counts_and_null_averages_and_csv_has_one_row_per_day()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));
        var client = app.ProviderAdmin(p);

        var body = await GetObjectAsync(client, $"/Dashboard/{p}/ConversationStats?start=1772928000000&end=1773100800000&tz=UTC");
        Assert.Equal(2, body["buckets"]!.AsArray().Count);
        AssertDay(body["totals"]!, 0, 0, null, null, 0, 0, null);

        var csv = await GetTextAsync(client, $"/Dashboard/{p}/ConversationStats?start=1772928000000&end=1773100800000&tz=UTC", "text/csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,conversations,messages,messagesPerConversationAvg,durationSecondsAvg,redactedEntities,"
            + "redactedEntitiesByType.EMAIL,redactedEntitiesByType.PHONE_NUMBER,redactedEntitiesByType.CREDIT_CARD,redactedEntitiesByType.US_SSN,"
            + "redactedEntitiesByType.IBAN_CODE,redactedEntitiesByType.IP_ADDRESS,redactedEntitiesByType.URL,sentimentAvg", lines[0]);
        Assert.Equal("1772928000000,1773014400000,0,0,,,0,0,0,0,0,0,0,0,", lines[1]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Only_the_providers_own_admin_may_read_it()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));
        var url = $"/Dashboard/{p}/ConversationStats?start=1772928000000&end=1773014400000";

        using var asKoopidAdmin = await app.KoopidAdmin().GetAsync(url);
        using var asOtherProvider = await app.ProviderAdmin(p + 1).GetAsync(url);
        using var anonymous = await app.CreateClient().GetAsync(url);
        using var asIngest = await app.ClientAs(KoopidRoles.Ingest, p).GetAsync(url);

        Assert.Equal(HttpStatusCode.Forbidden, asKoopidAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOtherProvider.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asIngest.StatusCode);
    }

    [Theory]
    [InlineData("start=10&end=5", "start")]
    [InlineData("start=-1&end=5", "start")]
    [InlineData("start=0&end=99999999999999999", "end")]
    [InlineData("start=1772928000000&end=1773014400000&tz=Mars/Olympus", "tz")]
    [InlineData("start=1700000000000&end=1772928000000", "end")] // 848 days > 400
    public async Task Invalid_parameters_are_400_problems_naming_the_field(string query, string field)
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));

        using var response = await app.ProviderAdmin(p).GetAsync($"/Dashboard/{p}/ConversationStats?{query}");

        Assert.Contains(field, await ProblemFieldsAsync(response));
    }

    private static void AssertDay(JsonNode day, long conversations, long messages, double? perConversation, double? duration, long entities, long cards, double? sentiment)
    {
        Assert.Equal(conversations, (long)day["conversations"]!);
        Assert.Equal(messages, (long)day["messages"]!);
        AssertNullable(perConversation, day["messagesPerConversationAvg"]);
        AssertNullable(duration, day["durationSecondsAvg"]);
        Assert.Equal(entities, (long)day["redactedEntities"]!);
        Assert.Equal(cards, (long)day["redactedEntitiesByType"]!["CREDIT_CARD"]!);
        Assert.Equal(0, (long)day["redactedEntitiesByType"]!["EMAIL"]!);
        AssertNullable(sentiment, day["sentimentAvg"]);
    }

    private static void AssertNullable(double? expected, JsonNode? actual)
    {
        if (expected is null)
            Assert.Null(actual);
        else
            Assert.Equal(expected.Value, (double)actual!, 9);
    }
}
