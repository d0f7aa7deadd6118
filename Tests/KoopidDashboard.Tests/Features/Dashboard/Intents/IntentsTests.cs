using System.Net;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.Intents;

[Collection(PostgresCollection.Name)]
public sealed class IntentsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // 2026-03-02 00:00Z, 03-03 00:00Z, 03-04 00:00Z.
    private const long Day1 = 1772409600000, Day2 = 1772496000000, Day3 = 1772582400000;

    private static object I(long p, long id, string startedAt, string? intent, double? sentiment, long? botId = null, bool queued = false, string channel = "webchat") => new
    {
        type = "interaction", providerId = p, interactionId = id, channel, interactionType = "chat", startedAt, intent, sentiment, botId,
        queuedAt = queued ? startedAt : null, answeredAt = queued ? startedAt : null,
    };

    private static object BotSession(long p, long id, long interactionId, string outcome, string startedAt) => new
    {
        type = "botSession", providerId = p, botSessionId = id, botId = 1, interactionId, startedAt, outcome,
    };

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p),
            I(p, 1, "2026-03-02T09:00:00Z", "billing", 0.5, botId: 1),                 // contained by its bot session
            BotSession(p, 1, 1, "contained", "2026-03-02T09:00:00Z"),
            I(p, 2, "2026-03-02T10:00:00Z", "billing", -0.5, botId: 1, queued: true),  // escalated: not contained
            BotSession(p, 2, 2, "escalated", "2026-03-02T10:00:00Z"),
            I(p, 3, "2026-03-02T11:00:00Z", "billing", null, botId: 1),                // no bot session, bot-only: contained
            I(p, 4, "2026-03-02T12:00:00Z", "shipping", 1.0),                          // no bot
            I(p, 5, "2026-03-02T13:00:00Z", null, null),                               // no intent
            I(p, 6, "2026-03-03T09:00:00Z", "shipping", 0.0, botId: 2),                // escalated once, then contained: contained
            BotSession(p, 3, 6, "escalated", "2026-03-03T09:00:00Z"),
            BotSession(p, 4, 6, "contained", "2026-03-03T09:05:00Z"),
            I(p, 7, "2026-03-03T10:00:00Z", "returns", -0.5),
            I(p, 8, "2026-03-03T11:00:00Z", "shipping", null, channel: "sms"),
            I(p, 9, "2026-03-04T00:00:00Z", "billing", 1.0, botId: 1));               // = end: outside
        return p;
    }

    [Fact]
    public async Task Rows_per_intent_with_share_containment_and_sentiment_and_buckets_for_the_top_intents()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Intents", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D","tz":"UTC","limit":2}""");

        var rows = body["rows"]!.AsArray();
        Assert.Equal(["billing", "shipping", "returns"], rows.Select(r => (string)r!["intent"]!)); // 3, 3 (tie by name), 1
        Assert.Equal([3L, 3L, 1L], rows.Select(r => (long)r!["interactions"]!));
        Assert.Equal([0.375, 0.375, 0.125], rows.Select(r => (double)r!["share"]!)); // 3/8, 3/8, 1/8 (id 5 without intent counts in the 8)
        Assert.Equal([2L, 1L, 0L], rows.Select(r => (long)r!["botContained"]!));    // billing: ids 1, 3; shipping: id 6
        Assert.Equal([0.0, 0.5, -0.5], rows.Select(r => (double)r!["avgSentiment"]!)); // (0.5 − 0.5)/2; (1.0 + 0.0)/2 (id 8 unset); −0.5

        var totals = body["totals"]!;
        Assert.Equal(8, (long)totals["interactions"]!);
        Assert.Equal(1, (long)totals["withoutIntent"]!);
        Assert.Equal(3, (long)totals["botContained"]!);
        Assert.Equal(0.1, (double)totals["avgSentiment"]!); // (0.5 − 0.5 + 1.0 + 0.0 − 0.5) / 5

        Assert.Equal(["billing", "shipping"], body["topIntents"]!.AsArray().Select(x => (string)x!));
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal([(Day1, Day2), (Day2, Day3)], buckets.Select(b => ((long)b!["start"]!, (long)b["end"]!)));
        Assert.Equal((5L, 3L, 1L), ((long)buckets[0]!["interactions"]!, (long)buckets[0]!["byIntent"]!["billing"]!, (long)buckets[0]!["byIntent"]!["shipping"]!));
        Assert.Equal((3L, 0L, 2L), ((long)buckets[1]!["interactions"]!, (long)buckets[1]!["byIntent"]!["billing"]!, (long)buckets[1]!["byIntent"]!["shipping"]!));
        Assert.Null(buckets[1]!["byIntent"]!["returns"]); // not in the top 2
    }

    [Fact]
    public async Task Filters_apply_and_the_default_limit_keeps_every_intent_of_a_small_range()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Admin(app), "/Dashboard/Intents", $$"""{"providerId":{{p}},"start":{{Day1}},"end":{{Day3}},"interval":"total","tz":"UTC","channel":["webchat"]}""");

        // id 8 (sms) is gone: shipping 2 of 7.
        Assert.Equal(["billing", "shipping", "returns"], body["topIntents"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(2.0 / 7, (double)body["rows"]![1]!["share"]!);
        Assert.Equal(7, (long)body["buckets"]![0]!["interactions"]!);
    }

    [Fact]
    public async Task An_empty_range_has_no_rows_and_null_sentiment()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Intents", """{"start":1780000000000,"end":1780086400000,"interval":"P1D","tz":"UTC"}""");

        Assert.Empty(body["rows"]!.AsArray());
        Assert.Empty(body["topIntents"]!.AsArray());
        Assert.Equal(0, (long)body["totals"]!["interactions"]!);
        Assert.Null(body["totals"]!["avgSentiment"]);
        Assert.All(body["buckets"]!.AsArray(), b => Assert.Equal(0, (long)b!["interactions"]!));
    }

    [Fact]
    public async Task Csv_lists_the_top_intents_as_columns()
    {
        var p = await LoadAsync();

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/Intents", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D","tz":"UTC","limit":2}""", HttpStatusCode.Created);

        Assert.Equal(["start,end,interactions,byIntent.billing,byIntent.shipping", $"{Day1},{Day2},5,3,1", $"{Day2},{Day3},3,0,2"], lines);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public async Task A_limit_outside_1_to_100_is_a_400_naming_it(int limit)
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await PostAsync(Pa(app, p), "/Dashboard/Intents", $$"""{"limit":{{limit}}}""", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "limit");
    }
}
