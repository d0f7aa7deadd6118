using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;

namespace KoopidDashboard.Tests.Features.Dashboard.BotAccessStats;

[Collection(PostgresCollection.Name)]
public sealed class BotAccessStatsTests(PostgresFixture db) : IAsyncLifetime
{
    private const string Path = "/Dashboard/BotAccessStats";
    // Kolkata: 2026-03-10 00:00 IST = 03-09 18:30Z; 03-11 00:00 IST = 03-10 18:30Z; 03-12 00:00 IST = 03-11 18:30Z.
    private const long Mar10 = 1773081000000, Mar11 = 1773167400000, Mar12 = 1773253800000;

    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-03-11T12:00:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static object BotSession(long p, long id, long botId, string startedAt, string? endedAt, string? outcome, int? turns) =>
        new { type = "botSession", providerId = p, botSessionId = id, botId, startedAt, endedAt, outcome, turns };

    /// <summary>
    /// Greeter (1): 03-10 09:00 IST, 120 s, contained, 4 turns; 03-10 23:59 IST → 03-11 00:04 IST (300 s, crosses local midnight,
    ///   counted on the day it started), escalated, 6 turns; 03-09 23:59 IST (before the range).
    /// FAQ (2): 03-11 00:00 IST exactly, 60 s, abandoned, 1 turn; 03-11 10:00 IST still running (no end, outcome or turns).
    /// </summary>
    private async Task<long> SeedAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "Asia/Kolkata"),
            new { type = "bot", providerId = p, botId = 1, name = "Greeter" },
            new { type = "bot", providerId = p, botId = 2, name = "FAQ" },
            BotSession(p, 1, 1, "2026-03-10T09:00:00+05:30", "2026-03-10T09:02:00+05:30", "contained", 4),
            BotSession(p, 2, 1, "2026-03-10T23:59:00+05:30", "2026-03-11T00:04:00+05:30", "escalated", 6),
            BotSession(p, 3, 2, "2026-03-11T00:00:00+05:30", "2026-03-11T00:01:00+05:30", "abandoned", 1),
            BotSession(p, 4, 2, "2026-03-11T10:00:00+05:30", null, null, null),
            BotSession(p, 5, 1, "2026-03-09T23:59:00+05:30", "2026-03-10T00:01:00+05:30", "contained", 2));
        return p;
    }

    [Fact]
    public async Task Kolkata_days_count_bot_sessions_where_they_started()
    {
        var p = await SeedAsync();

        // No tz: the provider's zone applies.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Mar10, end = Mar12, interval = "P1D" });

        Assert.Equal("Asia/Kolkata", (string?)body["tz"]);
        Assert.Equal((Mar10, Mar12), (Long(body["start"]), Long(body["end"])));
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(2, buckets.Count);
        Assert.Equal((Mar10, Mar11), (Long(At(buckets, 0)["start"]), Long(At(buckets, 0)["end"])));
        Assert.Equal((Mar11, Mar12), (Long(At(buckets, 1)["start"]), Long(At(buckets, 1)["end"])));

        // 03-10: Greeter's two sessions; 1 of 2 contained = 0.5; duration (120 + 300)/2 = 210; turns (4 + 6)/2 = 5.
        AssertMetrics(At(buckets, 0), sessions: 2, contained: 1, escalated: 1, abandoned: 0, rate: 0.5, duration: 210, turns: 5);
        // 03-11: FAQ's two; none contained = a real 0; duration of the ended one 60; turns of the one reporting them 1.
        AssertMetrics(At(buckets, 1), sessions: 2, contained: 0, escalated: 0, abandoned: 1, rate: 0, duration: 60, turns: 1);
        // Totals: 1 of 4 contained = 0.25; duration (120 + 300 + 60)/3 = 160; turns (4 + 6 + 1)/3 = 11/3.
        AssertMetrics(body["totals"]!.AsObject(), sessions: 4, contained: 1, escalated: 1, abandoned: 1, rate: 0.25, duration: 160, turns: 11.0 / 3);

        var rows = body["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal((1L, "Greeter"), (Long(At(rows, 0)["botId"]), (string?)At(rows, 0)["name"]));
        AssertMetrics(At(rows, 0), sessions: 2, contained: 1, escalated: 1, abandoned: 0, rate: 0.5, duration: 210, turns: 5);
        Assert.Equal((2L, "FAQ"), (Long(At(rows, 1)["botId"]), (string?)At(rows, 1)["name"]));
        AssertMetrics(At(rows, 1), sessions: 2, contained: 0, escalated: 0, abandoned: 1, rate: 0, duration: 60, turns: 1);
    }

    [Fact]
    public async Task Hourly_Kolkata_buckets_start_on_the_half_hour_in_UTC()
    {
        var p = await SeedAsync();

        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Mar10, end = Mar11, interval = "PT1H", tz = "Asia/Kolkata" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(24, buckets.Count);
        Assert.Equal(Mar10 + 9 * 3_600_000, Long(At(buckets, 9)["start"]));   // 09:00 IST = 03:30Z
        AssertMetrics(At(buckets, 9), sessions: 1, contained: 1, escalated: 0, abandoned: 0, rate: 1, duration: 120, turns: 4);
        AssertMetrics(At(buckets, 23), sessions: 1, contained: 0, escalated: 1, abandoned: 0, rate: 0, duration: 300, turns: 6);  // 23:00 IST
        AssertEmpty(At(buckets, 0));
    }

    [Theory]
    [InlineData(new long[] { 2 }, 2, 0.0, 1)]          // FAQ: 0 of 2 contained
    [InlineData(new long[] { 1, 2 }, 4, 0.25, 2)]      // both: 1 of 4
    [InlineData(new long[] { 999 }, 0, null, 0)]       // unknown ids match nothing
    public async Task The_bot_filter_keeps_only_the_named_bots(long[] botId, long sessions, double? rate, int rowCount)
    {
        var p = await SeedAsync();

        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Mar10, end = Mar12, interval = "total", botId });

        var totals = body["totals"]!.AsObject();
        Assert.Equal(sessions, Long(totals["sessions"]));
        if (rate is { } r)
            Near(r, totals["containmentRate"]);
        else
            Null(totals, "containmentRate");
        Assert.Equal(rowCount, body["rows"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_empty_range_has_zero_counts_null_rates_and_no_rows()
    {
        var p = await SeedAsync();

        // 03-12 … 03-14 IST: no sessions.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Mar12, end = Mar12 + 2 * 86_400_000L, interval = "P1D" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(2, buckets.Count);
        Assert.All(buckets, b => AssertEmpty(b!.AsObject()));
        AssertEmpty(body["totals"]!.AsObject());
        Assert.Empty(body["rows"]!.AsArray());
    }

    [Fact]
    public async Task Csv_lists_buckets_or_bot_rows_with_a_header()
    {
        var p = await SeedAsync();
        var request = new { providerId = p, start = Mar10, end = Mar12, interval = "P1D" };

        var (status, csv, mediaType) = await PostRawAsync(Admin(app), Path, request, "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text/csv", mediaType);
        var lines = csv.Split("\r\n");
        Assert.Equal("start,end,sessions,contained,escalated,abandoned,containmentRate,durationSecondsAvg,turnsAvg", lines[0]);
        Assert.Equal($"{Mar10},{Mar11},2,1,1,0,0.5,210,5", lines[1]);

        var (_, rowsCsv, _) = await PostRawAsync(Admin(app), Path + "?csv=rows", request, "text/csv");
        var rowLines = rowsCsv.Split("\r\n");
        Assert.Equal("botId,name,sessions,contained,escalated,abandoned,containmentRate,durationSecondsAvg,turnsAvg", rowLines[0]);
        Assert.Equal("2,FAQ,2,0,0,1,0,60,1", rowLines[2]);
    }

    [Theory]
    [InlineData("""{"botId":[MANY]}""", "botId")]
    [InlineData("""{"interval":"daily"}""", "interval")]
    [InlineData("""{"tz":"Asia/Calcutta_Typo"}""", "tz")]
    [InlineData("""{"end":-3}""", "end")]
    public async Task Invalid_parameters_get_a_400_problem_naming_the_field(string body, string field)
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p));
        body = body.Replace("MANY", string.Join(',', Enumerable.Range(1, 201)));   // 201 > the 200-value limit

        await AssertValidationErrorAsync(ProviderAdmin(app, p), Path, body, field);
    }

    [Fact]
    public async Task A_ProviderAdmin_reads_its_own_provider_and_gets_403_for_another()
    {
        var p = await SeedAsync();

        var own = await PostCreatedAsync(ProviderAdmin(app, p), Path, new { start = Mar10, end = Mar12, interval = "total" });
        Assert.Equal(4, Long(own["totals"]!["sessions"]));

        var (status, problem, mediaType) = await PostRawAsync(ProviderAdmin(app, PostgresFixture.NewProviderId()), Path, new { providerId = p, start = Mar10, end = Mar12 });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(403, (int)JsonNode.Parse(problem)!["status"]!);
    }

    private static void AssertMetrics(JsonObject m, long sessions, long contained, long escalated, long abandoned, double rate, double duration, double turns)
    {
        Assert.Equal(sessions, Long(m["sessions"]));
        Assert.Equal(contained, Long(m["contained"]));
        Assert.Equal(escalated, Long(m["escalated"]));
        Assert.Equal(abandoned, Long(m["abandoned"]));
        Near(rate, m["containmentRate"]);
        Near(duration, m["durationSecondsAvg"]);
        Near(turns, m["turnsAvg"]);
    }

    private static void AssertEmpty(JsonObject m)
    {
        foreach (var name in new[] { "sessions", "contained", "escalated", "abandoned" })
            Assert.Equal(0, Long(m[name]));
        foreach (var name in new[] { "containmentRate", "durationSecondsAvg", "turnsAvg" })
            Null(m, name);
    }
}
