using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;

namespace KoopidDashboard.Tests.Features.Dashboard.AgentSessionStats;

[Collection(PostgresCollection.Name)]
public sealed class AgentSessionStatsTests(PostgresFixture db) : IAsyncLifetime
{
    private const string Path = "/Dashboard/AgentSessionStats";
    // New York: Sat 2026-10-31 00:00 EDT = 04:00Z; Sun 11-01 00:00 EDT = 04:00Z (a 25-hour day: 02:00 EDT → 01:00 EST); Mon 11-02 00:00 EST = 05:00Z.
    private const long Oct31 = 1793419200000, Nov1 = 1793505600000, Nov2 = 1793595600000;

    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        // "now" = Sun 11-01 13:00 EST = 18:00Z
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-11-01T18:00:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static object Answered(long p, long id, long agentId, string startedAt, string answeredAt, string? endedAt, string channel = "webchat", string type = "chat") =>
        new { type = "interaction", providerId = p, interactionId = id, channel, interactionType = type, startedAt, answeredAt, endedAt, agentId };

    private static object Message(long p, long id, long interactionId, string sentAt, string senderType, long? senderId) =>
        new { type = "message", providerId = p, messageId = id, interactionId, sentAt, senderType, senderId, text = "hello" };

    /// <summary>
    /// Ada (1): session Sat 22:00 EDT (11-01 02:00Z) → Sun 01:30 EST (06:30Z): crosses local midnight and the fall-back hour, 4.5 h.
    ///   I1 answered 02:10Z (Sat), ended 02:20Z: handle 600; agent messages 02:10:30Z (first response 30) and 02:12Z.
    ///   I2 started 03:55Z (Sat!) answered 04:30Z (Sun), ended 04:50Z: handle 1200; agent message 04:31Z → first response 60.
    ///   I3 answered 06:10Z, ended 06:40Z (after her logout): handle 1800; no agent message (voice).
    /// Bo (2): session Sun 09:00 EST (14:00Z), still open at now (18:00Z): 4 h.
    ///   I4 answered 15:00Z, not ended: no handle sample; agent message 15:00:20Z → first response 20.
    ///   I5 answered 15:30Z, ended 15:45Z: handle 900; bot message 15:29:30Z (not counted), agent messages 15:31:30Z (→ 90) and 15:40Z.
    /// I6 abandoned in a queue, never answered: not handled by anyone.
    /// </summary>
    private async Task<long> SeedAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "America/New_York"),
            new { type = "agent", providerId = p, agentId = 1, name = "Ada" },
            new { type = "agent", providerId = p, agentId = 2, name = "Bo" },
            new { type = "agentSession", providerId = p, sessionId = 1, agentId = 1, loginAt = "2026-10-31T22:00:00-04:00", logoutAt = "2026-11-01T01:30:00-05:00" },
            new { type = "agentSession", providerId = p, sessionId = 2, agentId = 2, loginAt = "2026-11-01T09:00:00-05:00" },
            Answered(p, 1, 1, "2026-11-01T02:05:00Z", "2026-11-01T02:10:00Z", "2026-11-01T02:20:00Z"),
            Answered(p, 2, 1, "2026-11-01T03:55:00Z", "2026-11-01T04:30:00Z", "2026-11-01T04:50:00Z"),
            Answered(p, 3, 1, "2026-11-01T06:05:00Z", "2026-11-01T06:10:00Z", "2026-11-01T06:40:00Z", "voice", "voice"),
            Answered(p, 4, 2, "2026-11-01T14:58:00Z", "2026-11-01T15:00:00Z", null, "sms", "sms"),
            Answered(p, 5, 2, "2026-11-01T15:29:00Z", "2026-11-01T15:30:00Z", "2026-11-01T15:45:00Z"),
            new
            {
                type = "interaction",
                providerId = p,
                interactionId = 6,
                channel = "webchat",
                interactionType = "chat",
                startedAt = "2026-11-01T16:00:00Z",
                queuedAt = "2026-11-01T16:00:00Z",
                abandonedAt = "2026-11-01T16:01:00Z"
            },
            Message(p, 1, 1, "2026-11-01T02:10:10Z", "customer", null),
            Message(p, 2, 1, "2026-11-01T02:10:30Z", "agent", 1),
            Message(p, 3, 1, "2026-11-01T02:12:00Z", "agent", 1),
            Message(p, 4, 2, "2026-11-01T04:31:00Z", "agent", 1),
            Message(p, 5, 4, "2026-11-01T15:00:20Z", "agent", 2),
            Message(p, 6, 5, "2026-11-01T15:29:30Z", "bot", null),
            Message(p, 7, 5, "2026-11-01T15:31:30Z", "agent", 2),
            Message(p, 8, 5, "2026-11-01T15:40:00Z", "agent", 2));
        return p;
    }

    [Fact]
    public async Task Fall_back_weekend_attributes_work_to_answeredAt_and_splits_logged_in_time_by_local_day()
    {
        var p = await SeedAsync();

        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Oct31, end = Nov2, interval = "P1D", tz = "America/New_York" });

        Assert.Equal((Oct31, Nov2), (Long(body["start"]), Long(body["end"])));
        Assert.Equal("P1D", (string?)body["interval"]);
        Assert.Equal("America/New_York", (string?)body["tz"]);
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(2, buckets.Count);
        Assert.Equal((Oct31, Nov1), (Long(At(buckets, 0)["start"]), Long(At(buckets, 0)["end"])));
        Assert.Equal((Nov1, Nov2), (Long(At(buckets, 1)["start"]), Long(At(buckets, 1)["end"])));
        Assert.Equal(25 * 3_600_000, Nov2 - Nov1);

        // Sat: I1 (600 s, first response 30); Ada's messages 02:10:30Z and 02:12Z; Ada logged in 02:00Z → 04:00Z = 7200 s; 600/7200 = 1/12.
        AssertMetrics(At(buckets, 0), handled: 1, handle: (600, 600, 600), firstResponse: (30, 30, 30), messages: 2, loggedIn: 7200, occupancy: 1.0 / 12);
        // Sun: I2 I3 I4 I5 handled. Handle 900 1200 1800 (I4 open): avg 3900/3 = 1300, p50 1200, p90 at 0.9·2 = 1.8 → 1200 + 0.8·600 = 1680.
        // First response 20 60 90: avg 170/3, p50 60, p90 at 1.8 → 60 + 0.8·30 = 84. Messages: Ada 1 + Bo 3 = 4.
        // Logged in: Ada 04:00Z → 06:30Z = 9000 + Bo 14:00Z → now 18:00Z = 14400 → 23400; occupancy 3900/23400 = 1/6.
        AssertMetrics(At(buckets, 1), handled: 4, handle: (1300, 1200, 1680), firstResponse: (170.0 / 3, 60, 84), messages: 4, loggedIn: 23400, occupancy: 1.0 / 6);
        // Totals: handle 600 900 1200 1800: avg 4500/4 = 1125, p50 (900+1200)/2 = 1050, p90 at 2.7 → 1200 + 0.7·600 = 1620.
        // First response 20 30 60 90: avg 200/4 = 50, p50 (30+60)/2 = 45, p90 at 2.7 → 60 + 0.7·30 = 81. 6 messages. 7200 + 23400 = 30600 s.
        // Occupancy 4500/30600 = 15/102.
        AssertMetrics(body["totals"]!.AsObject(), handled: 5, handle: (1125, 1050, 1620), firstResponse: (50, 45, 81), messages: 6, loggedIn: 30600, occupancy: 15.0 / 102);

        var rows = body["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var ada = At(rows, 0);
        Assert.Equal((1L, "Ada"), (Long(ada["agentId"]), (string?)ada["name"]));
        // Ada: handle 600 1200 1800 → avg 1200, p50 1200, p90 1680; first response 30 60 → avg 45, p50 45, p90 30 + 0.9·30 = 57;
        // 3 messages; 7200 + 9000 = 16200 s; occupancy 3600/16200 = 2/9.
        AssertMetrics(ada, handled: 3, handle: (1200, 1200, 1680), firstResponse: (45, 45, 57), messages: 3, loggedIn: 16200, occupancy: 2.0 / 9);
        var bo = At(rows, 1);
        Assert.Equal((2L, "Bo"), (Long(bo["agentId"]), (string?)bo["name"]));
        // Bo: handle 900 only; first response 20 90 → avg 55, p50 55, p90 20 + 0.9·70 = 83; 3 messages; 14400 s; 900/14400 = 0.0625.
        AssertMetrics(bo, handled: 2, handle: (900, 900, 900), firstResponse: (55, 55, 83), messages: 3, loggedIn: 14400, occupancy: 0.0625);
    }

    [Fact]
    public async Task Work_answered_exactly_at_local_midnight_belongs_to_the_day_it_starts()
    {
        // answered at Sun 00:00 EDT = 04:00Z, the bound between the two days: Sunday's, as width_bucket puts it
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "America/New_York"),
            new { type = "agent", providerId = p, agentId = 1, name = "Ada" },
            Answered(p, 1, 1, "2026-11-01T03:59:00Z", "2026-11-01T04:00:00Z", "2026-11-01T04:10:00Z"));

        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Oct31, end = Nov2, interval = "P1D", tz = "America/New_York" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal((0L, 1L), (Long(At(buckets, 0)["handled"]), Long(At(buckets, 1)["handled"])));
        AssertMetrics(At(buckets, 1), handled: 1, handle: (600, 600, 600), firstResponse: null, messages: 0, loggedIn: 0, occupancy: null);
    }

    [Fact]
    public async Task Hourly_buckets_on_the_fall_back_day_give_the_repeated_hour_its_own_share_of_an_open_session()
    {
        var p = await SeedAsync();

        // Sun 11-01 local day in hours, agent Ada only: her session 04:00Z → 06:30Z covers 00:00 EDT, 01:00 EDT, half of 01:00 EST.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Nov1, end = Nov2, interval = "PT1H", tz = "America/New_York", agentId = new[] { 1 } });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(25, buckets.Count);
        Near(3600, At(buckets, 0)["loggedInSeconds"]);  // 04:00Z-05:00Z (00:00 EDT); I2 answered 04:30Z: handled 1, 1200/3600
        Assert.Equal(1, Long(At(buckets, 0)["handled"]));
        Near(1.0 / 3, At(buckets, 0)["occupancy"]);
        Near(3600, At(buckets, 1)["loggedInSeconds"]);  // 05:00Z-06:00Z (01:00 EDT), nothing answered: occupancy a real 0
        Near(0, At(buckets, 1)["occupancy"]);
        Assert.Equal(1793512800000, Long(At(buckets, 2)["start"]));  // 06:00Z = 01:00 EST, the repeated hour
        Near(1800, At(buckets, 2)["loggedInSeconds"]);  // 06:00Z → 06:30Z; I3 answered 06:10Z: 1800/1800 = 1
        Near(1, At(buckets, 2)["occupancy"]);
        Near(0, At(buckets, 3)["loggedInSeconds"]);     // logged out: occupancy null, not 0
        Null(At(buckets, 3), "occupancy");
    }

    [Fact]
    public async Task Interaction_filters_narrow_handled_work_but_not_logged_in_time()
    {
        var p = await SeedAsync();

        var voice = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Oct31, end = Nov2, interval = "total", tz = "America/New_York", channel = new[] { "voice" } });
        // Only I3 (1800 s, no agent message); logged-in time stays 30600; occupancy 1800/30600 = 1/17.
        AssertMetrics(voice["totals"]!.AsObject(), handled: 1, handle: (1800, 1800, 1800), firstResponse: null, messages: 0, loggedIn: 30600, occupancy: 1.0 / 17);

        var bo = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Oct31, end = Nov2, interval = "total", tz = "America/New_York", agentId = new[] { 2 } });
        // Bo alone, as in his row.
        AssertMetrics(bo["totals"]!.AsObject(), handled: 2, handle: (900, 900, 900), firstResponse: (55, 55, 83), messages: 3, loggedIn: 14400, occupancy: 0.0625);
        Assert.Single(bo["rows"]!.AsArray());
    }

    [Fact]
    public async Task An_agent_who_handled_work_without_a_session_has_null_occupancy_and_an_open_session_stops_at_the_range_end()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "Asia/Kolkata"),
            new { type = "agent", providerId = p, agentId = 3, name = "Cy" },
            new { type = "agentSession", providerId = p, sessionId = 1, agentId = 4, loginAt = "2026-10-20T23:00:00+05:30" },  // open, long before now
            Answered(p, 1, 3, "2026-10-21T10:00:00+05:30", "2026-10-21T10:01:00+05:30", "2026-10-21T10:11:00+05:30"));

        // Kolkata 10-21 00:00 IST = 10-20 18:30Z → 10-22 00:00 IST = 10-21 18:30Z
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = 1792521000000, end = 1792607400000, interval = "total" });

        Assert.Equal("Asia/Kolkata", (string?)body["tz"]);
        var cy = At(body["rows"], 0);
        Assert.Equal((3L, "Cy"), (Long(cy["agentId"]), (string?)cy["name"]));
        Assert.Equal(1, Long(cy["handled"]));
        Near(600, cy["handleSecondsAvg"]);               // 10:01 → 10:11
        Near(0, cy["loggedInSeconds"]);
        Null(cy, "occupancy");                           // not logged in: no ratio
        var unnamed = At(body["rows"], 1);
        Assert.Equal(4, Long(unnamed["agentId"]));
        Null(unnamed, "name");                           // no agent event for 4
        Near(86400, unnamed["loggedInSeconds"]);         // open since before the range, now is later: the whole day
        Near(0, unnamed["occupancy"]);
        Near(600.0 / 86400, body["totals"]!["occupancy"]);
    }

    [Fact]
    public async Task An_empty_range_has_zero_counts_null_averages_and_no_rows()
    {
        var p = await SeedAsync();

        // Sat 10-24 local day: nothing happened.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = Oct31 - 7 * 86_400_000L, end = Oct31 - 6 * 86_400_000L, interval = "PT1H", tz = "America/New_York" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(24, buckets.Count);
        Assert.All(buckets, b => AssertMetrics(b!.AsObject(), handled: 0, handle: null, firstResponse: null, messages: 0, loggedIn: 0, occupancy: null));
        AssertMetrics(body["totals"]!.AsObject(), handled: 0, handle: null, firstResponse: null, messages: 0, loggedIn: 0, occupancy: null);
        Assert.Empty(body["rows"]!.AsArray());
    }

    [Fact]
    public async Task Csv_lists_buckets_or_agent_rows_with_a_header()
    {
        var p = await SeedAsync();
        var request = new { providerId = p, start = Oct31, end = Nov2, interval = "P1D", tz = "America/New_York" };

        var (status, csv, mediaType) = await PostRawAsync(Admin(app), Path, request, "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text/csv", mediaType);
        var lines = csv.Split("\r\n");
        Assert.Equal("start,end,handled,handleSecondsAvg,handleSecondsP50,handleSecondsP90,firstResponseSecondsAvg,firstResponseSecondsP50,"
            + "firstResponseSecondsP90,messagesSent,loggedInSeconds,occupancy", lines[0]);
        Assert.StartsWith($"{Oct31},{Nov1},1,600,600,600,30,30,30,2,7200,0.08333", lines[1]);

        var (_, rowsCsv, _) = await PostRawAsync(Admin(app), Path + "?csv=rows", request, "text/csv");
        var rowLines = rowsCsv.Split("\r\n");
        Assert.StartsWith("agentId,name,handled,", rowLines[0]);
        Assert.Equal("2,Bo,2,900,900,900,55,55,83,3,14400,0.0625", rowLines[2]);
    }

    [Theory]
    [InlineData("""{"agentId":[MANY]}""", "agentId")]
    [InlineData("""{"queueId":[MANY]}""", "queueId")]
    [InlineData("""{"interval":"PT5M"}""", "interval")]
    [InlineData("""{"tz":"Not/AZone"}""", "tz")]
    [InlineData("""{"start":1793505600000,"end":1793505600000}""", "start")]
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

        var own = await PostCreatedAsync(ProviderAdmin(app, p), Path, new { start = Oct31, end = Nov2, interval = "total" });
        Assert.Equal(5, Long(own["totals"]!["handled"]));

        var (status, _, mediaType) = await PostRawAsync(ProviderAdmin(app, PostgresFixture.NewProviderId()), $"{Path}?providerId={p}", new { });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", mediaType);
    }

    private static void AssertMetrics(JsonObject m, long handled, (double Avg, double P50, double P90)? handle, (double Avg, double P50, double P90)? firstResponse,
        long messages, double loggedIn, double? occupancy)
    {
        Assert.Equal(handled, Long(m["handled"]));
        AssertTriple(m, "handleSeconds", handle);
        AssertTriple(m, "firstResponseSeconds", firstResponse);
        Assert.Equal(messages, Long(m["messagesSent"]));
        Near(loggedIn, m["loggedInSeconds"]);
        if (occupancy is { } o)
            Near(o, m["occupancy"]);
        else
            Null(m, "occupancy");
    }

    private static void AssertTriple(JsonObject m, string prefix, (double Avg, double P50, double P90)? expected)
    {
        if (expected is not { } e)
        {
            Null(m, prefix + "Avg");
            Null(m, prefix + "P50");
            Null(m, prefix + "P90");
            return;
        }
        Near(e.Avg, m[prefix + "Avg"]);
        Near(e.P50, m[prefix + "P50"]);
        Near(e.P90, m[prefix + "P90"]);
    }
}
