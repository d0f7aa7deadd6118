using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;

namespace KoopidDashboard.Tests.Features.Dashboard.AgentAccessStats;

[Collection(PostgresCollection.Name)]
public sealed class AgentAccessStatsTests(PostgresFixture db)
{
    private const string Path = "/Dashboard/AgentAccessStats";

    private static object Agent(long p, long id, string name) => new { type = "agent", providerId = p, agentId = id, name };

    private static object Session(long p, long id, long agentId, string loginAt, string? logoutAt = null) =>
        new { type = "agentSession", providerId = p, sessionId = id, agentId, loginAt, logoutAt };

    /// <summary>
    /// New York, Sat 2026-03-07 … Tue 2026-03-10 local (P1D). Sunday 03-08 is 23 h long (02:00 EST → 03:00 EDT).
    /// Ada: 03-07 23:00 EST (03-08 04:00Z) → 03-08 03:30 EDT (07:30Z): 3.5 h real, crosses local midnight.
    /// Bo: 03-08 09:00 EDT (13:00Z) → 17:00 EDT (21:00Z): 8 h; then 03-09 09:00 EDT (13:00Z), still open; now = 03-09 11:30 EDT (15:30Z).
    /// Cy: a session that ended before the range (ignored).
    /// </summary>
    private static async Task<long> SeedNewYorkWeekAsync(HttpClient admin)
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(admin, Ndjson.Provider(p, "America/New_York"),
            Agent(p, 1, "Ada"), Agent(p, 2, "Bo"), Agent(p, 3, "Cy"),
            Session(p, 10, 1, "2026-03-07T23:00:00-05:00", "2026-03-08T03:30:00-04:00"),
            Session(p, 20, 2, "2026-03-08T09:00:00-04:00", "2026-03-08T17:00:00-04:00"),
            Session(p, 21, 2, "2026-03-09T09:00:00-04:00"),
            Session(p, 30, 3, "2026-03-06T09:00:00-05:00", "2026-03-06T17:00:00-05:00"));
        return p;
    }

    private static readonly DateTimeOffset MondayLateMorning = DateTimeOffset.Parse("2026-03-09T15:30:00Z");

    [Fact]
    public async Task Spring_forward_week_splits_logged_in_time_by_local_day_and_counts_an_open_session_up_to_now()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var p = await SeedNewYorkWeekAsync(Admin(app));

        // 03-07 00:00 EST = 05:00Z … 03-11 00:00 EDT = 04:00Z
        var body = await PostCreatedAsync(Admin(app), Path,
            new { providerId = p, start = 1772859600000, end = 1773201600000, interval = "P1D", tz = "America/New_York" });

        Assert.Equal(p, Long(body["providerId"]));
        Assert.Equal(1772859600000, Long(body["start"]));
        Assert.Equal(1773201600000, Long(body["end"]));
        Assert.Equal("P1D", (string?)body["interval"]);
        Assert.Equal("America/New_York", (string?)body["tz"]);

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(4, buckets.Count);
        // bounds: 03-07 05:00Z (24 h) 03-08 05:00Z (23 h: spring forward) 03-09 04:00Z (24 h) 03-10 04:00Z (24 h) 03-11 04:00Z
        long[] bounds = [1772859600000, 1772946000000, 1773028800000, 1773115200000, 1773201600000];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(bounds[i], Long(At(buckets, i)["start"]));
            Assert.Equal(bounds[i + 1], Long(At(buckets, i)["end"]));
        }
        Assert.Equal(23 * 3_600_000, bounds[2] - bounds[1]);

        // Sat: Ada logs in at 23:00 EST → 1 login, 1 agent, 1 h = 3600 s before local midnight.
        AssertBucket(At(buckets, 0), logins: 1, uniqueAgents: 1, seconds: 3600);
        // Sun: Ada's session goes on 05:00Z → 07:30Z = 9000 s; Bo 13:00Z → 21:00Z = 28800 s; 9000 + 28800 = 37800; Bo's login only.
        AssertBucket(At(buckets, 1), logins: 1, uniqueAgents: 2, seconds: 37800);
        // Mon: Bo's open session 13:00Z → now 15:30Z = 2.5 h = 9000 s.
        AssertBucket(At(buckets, 2), logins: 1, uniqueAgents: 1, seconds: 9000);
        // Tue: after now, so the open session gives nothing yet.
        AssertBucket(At(buckets, 3), logins: 0, uniqueAgents: 0, seconds: 0);
        // 3 logins; Ada and Bo (Cy's session ended before the range); 3600 + 37800 + 9000 = 50400 s.
        AssertBucket(body["totals"]!.AsObject(), logins: 3, uniqueAgents: 2, seconds: 50400);

        var rows = body["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var ada = At(rows, 0);
        Assert.Equal(1, Long(ada["agentId"]));
        Assert.Equal("Ada", (string?)ada["name"]);
        Assert.Equal(1, Long(ada["logins"]));
        Assert.Equal(1772942400000, Long(ada["firstLoginAt"]));   // 03-08 04:00Z
        Assert.Equal(1772955000000, Long(ada["lastLogoutAt"]));   // 03-08 07:30Z
        Near(12600, ada["loggedInSeconds"]);                       // 3600 + 9000
        var bo = At(rows, 1);
        Assert.Equal(2, Long(bo["agentId"]));
        Assert.Equal("Bo", (string?)bo["name"]);
        Assert.Equal(2, Long(bo["logins"]));
        Assert.Equal(1772974800000, Long(bo["firstLoginAt"]));    // 03-08 13:00Z
        Null(bo, "lastLogoutAt");                                  // still logged in
        Near(37800, bo["loggedInSeconds"]);                        // 28800 + 9000
    }

    /// <summary>
    /// Sessions that meet a bucket bound exactly (SessionBuckets: a bucket counts a session it overlaps for some instant or
    /// in which it logs in). New York, Sat 03-07 … Mon 03-09 local (P1D).
    /// </summary>
    [Fact]
    public async Task A_session_ending_exactly_at_local_midnight_stays_in_its_day_and_one_starting_then_belongs_to_the_next()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var admin = Admin(app);
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(admin, Ndjson.Provider(p, "America/New_York"),
            Agent(p, 1, "Ada"), Agent(p, 2, "Bo"), Agent(p, 3, "Cy"),
            Session(p, 10, 1, "2026-03-07T20:00:00-05:00", "2026-03-08T00:00:00-05:00"),   // ends at Sunday's first instant
            Session(p, 20, 2, "2026-03-09T00:00:00-04:00", "2026-03-09T01:00:00-04:00"),   // starts at Monday's first instant
            Session(p, 30, 3, "2026-03-08T12:00:00-04:00", "2026-03-08T12:00:00-04:00"));  // zero length

        // 03-07 00:00 EST = 05:00Z … 03-10 00:00 EDT = 04:00Z
        var body = await PostCreatedAsync(admin, Path,
            new { providerId = p, start = 1772859600000, end = 1773115200000, interval = "P1D", tz = "America/New_York" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(3, buckets.Count);
        // Sat: Ada 20:00 → 24:00 = 14400 s.
        AssertBucket(At(buckets, 0), logins: 1, uniqueAgents: 1, seconds: 14400);
        // Sun: Ada is not logged in at any instant of it; Cy logs in (and out) at noon: a login, an agent, 0 s.
        AssertBucket(At(buckets, 1), logins: 1, uniqueAgents: 1, seconds: 0);
        // Mon: Bo 00:00 → 01:00 = 3600 s; nothing of Bo on Sunday.
        AssertBucket(At(buckets, 2), logins: 1, uniqueAgents: 1, seconds: 3600);
        AssertBucket(body["totals"]!.AsObject(), logins: 3, uniqueAgents: 3, seconds: 18000);
    }

    [Fact]
    public async Task An_open_session_stops_at_the_range_end_when_now_is_later()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-04-01T00:00:00Z")));
        var p = await SeedNewYorkWeekAsync(Admin(app));

        // Mon 03-09 local day only: 04:00Z → 03-10 04:00Z, one bucket.
        var body = await PostCreatedAsync(Admin(app), Path,
            new { providerId = p, start = 1773028800000, end = 1773115200000, interval = "total", tz = "America/New_York" });

        // Bo's open session 13:00Z → min(now, end) = 03-10 04:00Z: 15 h = 54000 s.
        AssertBucket(At(body["buckets"], 0), logins: 1, uniqueAgents: 1, seconds: 54000);
        Null(At(body["rows"], 0), "lastLogoutAt");
    }

    [Fact]
    public async Task Fall_back_day_has_25_hourly_buckets_and_the_repeated_hour_gets_its_own_share()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-12-01T00:00:00Z")));
        var p = PostgresFixture.NewProviderId();
        // 00:30 EDT (04:30Z) → 01:30 EST (06:30Z): 2 h real although the wall clock moved 1 h.
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "America/New_York"), Agent(p, 1, "Ada"),
            Session(p, 1, 1, "2026-11-01T00:30:00-04:00", "2026-11-01T01:30:00-05:00"));

        // 11-01 00:00 EDT = 04:00Z → 11-02 00:00 EST = 05:00Z; tz from the provider.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = 1793505600000, end = 1793595600000, interval = "PT1H" });

        Assert.Equal("America/New_York", (string?)body["tz"]);
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(25, buckets.Count);                              // a 25-hour local day
        Assert.Equal(1793505600000, Long(At(buckets, 0)["start"]));   // 04:00Z = 00:00 EDT
        Assert.Equal(1793509200000, Long(At(buckets, 1)["start"]));   // 05:00Z = 01:00 EDT
        Assert.Equal(1793512800000, Long(At(buckets, 2)["start"]));   // 06:00Z = 01:00 EST (the repeated hour)
        Assert.Equal(1793516400000, Long(At(buckets, 2)["end"]));     // 07:00Z
        Assert.Equal(1793595600000, Long(At(buckets, 24)["end"]));    // 11-02 05:00Z
        AssertBucket(At(buckets, 0), logins: 1, uniqueAgents: 1, seconds: 1800);  // 04:30Z → 05:00Z
        AssertBucket(At(buckets, 1), logins: 0, uniqueAgents: 1, seconds: 3600);  // 05:00Z → 06:00Z
        AssertBucket(At(buckets, 2), logins: 0, uniqueAgents: 1, seconds: 1800);  // 06:00Z → 06:30Z
        AssertBucket(At(buckets, 3), logins: 0, uniqueAgents: 0, seconds: 0);
        AssertBucket(body["totals"]!.AsObject(), logins: 1, uniqueAgents: 1, seconds: 7200); // 1800 + 3600 + 1800
    }

    [Fact]
    public async Task Kolkata_day_has_half_hour_offset_buckets_and_a_session_from_before_midnight_counts_only_inside_the_range()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-12-01T00:00:00Z")));
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "Asia/Kolkata"), Agent(p, 1, "Ada"), Agent(p, 2, "Bo"),
            Session(p, 1, 1, "2026-03-09T23:40:00+05:30", "2026-03-10T00:20:00+05:30"),   // crosses local midnight = range start
            Session(p, 2, 2, "2026-03-10T09:50:00+05:30", "2026-03-10T10:20:00+05:30"));  // SPEC §4's 09:50 → 10:20 example

        // 03-10 00:00 IST = 03-09 18:30Z → 03-11 00:00 IST = 03-10 18:30Z
        var body = await PostCreatedAsync(Admin(app), Path,
            new { providerId = p, start = 1773081000000, end = 1773167400000, interval = "PT1H", tz = "Asia/Kolkata" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(24, buckets.Count);
        Assert.Equal(1773081000000, Long(At(buckets, 0)["start"]));            // 18:30Z = 00:00 IST
        Assert.Equal(1773081000000 + 3_600_000, Long(At(buckets, 0)["end"]));  // 19:30Z = 01:00 IST
        Assert.Equal(1773113400000, Long(At(buckets, 9)["start"]));            // 03-10 03:30Z = 09:00 IST
        AssertBucket(At(buckets, 0), logins: 0, uniqueAgents: 1, seconds: 1200);   // Ada 00:00 → 00:20 IST; her login is before the range
        AssertBucket(At(buckets, 1), logins: 0, uniqueAgents: 0, seconds: 0);
        AssertBucket(At(buckets, 9), logins: 1, uniqueAgents: 1, seconds: 600);    // Bo 09:50 → 10:00
        AssertBucket(At(buckets, 10), logins: 0, uniqueAgents: 1, seconds: 1200);  // Bo 10:00 → 10:20
        AssertBucket(body["totals"]!.AsObject(), logins: 1, uniqueAgents: 2, seconds: 3000); // 1200 + 600 + 1200

        var ada = At(body["rows"], 0);
        Assert.Equal(0, Long(ada["logins"]));
        Assert.Equal(1773079800000, Long(ada["firstLoginAt"]));  // 03-09 18:10Z: the session began before the range
        Assert.Equal(1773082200000, Long(ada["lastLogoutAt"]));  // 03-09 18:50Z
        Near(1200, ada["loggedInSeconds"]);
        var bo = At(body["rows"], 1);
        Assert.Equal(1, Long(bo["logins"]));
        Assert.Equal(1773116400000, Long(bo["firstLoginAt"]));   // 04:20Z
        Assert.Equal(1773118200000, Long(bo["lastLogoutAt"]));   // 04:50Z
        Near(1800, bo["loggedInSeconds"]);                       // 600 + 1200
    }

    [Fact]
    public async Task The_agent_filter_keeps_only_the_named_agents_and_unknown_ids_match_nothing()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var p = await SeedNewYorkWeekAsync(Admin(app));

        var onlyBo = await PostCreatedAsync(Admin(app), Path,
            new { providerId = p, start = 1772859600000, end = 1773201600000, interval = "total", tz = "America/New_York", agentId = new[] { 2 } });
        AssertBucket(onlyBo["totals"]!.AsObject(), logins: 2, uniqueAgents: 1, seconds: 37800); // Bo: 28800 + 9000
        Assert.Single(onlyBo["rows"]!.AsArray());

        var nobody = await PostCreatedAsync(Admin(app), Path,
            new { providerId = p, start = 1772859600000, end = 1773201600000, interval = "total", tz = "America/New_York", agentId = new[] { 999 } });
        AssertBucket(nobody["totals"]!.AsObject(), logins: 0, uniqueAgents: 0, seconds: 0);
        Assert.Empty(nobody["rows"]!.AsArray());
    }

    [Fact]
    public async Task An_empty_range_has_every_bucket_with_zeros_and_no_rows()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var p = await SeedNewYorkWeekAsync(Admin(app));

        // 2026-03-10 00:00Z → 03-11 00:00Z in UTC, hours after Bo's open session? No: now is 03-09 15:30Z, so nothing is logged in yet.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = 1773100800000, end = 1773187200000, interval = "PT1H", tz = "UTC" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(24, buckets.Count);
        Assert.All(buckets, b => AssertBucket(b!.AsObject(), logins: 0, uniqueAgents: 0, seconds: 0));
        AssertBucket(body["totals"]!.AsObject(), logins: 0, uniqueAgents: 0, seconds: 0);
        Assert.Empty(body["rows"]!.AsArray());
    }

    [Fact]
    public async Task Csv_lists_buckets_or_rows_with_a_header()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var p = await SeedNewYorkWeekAsync(Admin(app));
        var request = new { providerId = p, start = 1772859600000, end = 1773201600000, interval = "P1D", tz = "America/New_York" };

        var (status, csv, mediaType) = await PostRawAsync(Admin(app), Path, request, "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text/csv", mediaType);
        var lines = csv.Split("\r\n");
        Assert.Equal("start,end,logins,uniqueAgents,loggedInSeconds", lines[0]);
        Assert.Equal("1772946000000,1773028800000,1,2,37800", lines[2]);   // Sunday, as in the JSON test
        Assert.Equal(6, lines.Length);                                      // header + 4 buckets + trailing empty

        var (rowsStatus, rowsCsv, _) = await PostRawAsync(Admin(app), Path + "?csv=rows", request, "text/csv");
        Assert.Equal(HttpStatusCode.Created, rowsStatus);
        var rowLines = rowsCsv.Split("\r\n");
        Assert.Equal("agentId,name,logins,firstLoginAt,lastLogoutAt,loggedInSeconds", rowLines[0]);
        Assert.Equal("2,Bo,2,1772974800000,,37800", rowLines[2]);           // open session: empty lastLogoutAt
    }

    [Theory]
    [InlineData("""{"agentId":[AGENTS]}""", "agentId")]
    [InlineData("""{"interval":"PT2H"}""", "interval")]
    [InlineData("""{"tz":"Mars/Olympus_Mons"}""", "tz")]
    [InlineData("""{"start":1773115200000,"end":1773028800000}""", "start")]
    [InlineData("""{"start":-1}""", "start")]
    public async Task Invalid_parameters_get_a_400_problem_naming_the_field(string body, string field)
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p));
        body = body.Replace("AGENTS", string.Join(',', Enumerable.Range(1, 201)));   // 201 > the 200-value limit

        await AssertValidationErrorAsync(ProviderAdmin(app, p), Path, body, field);
    }

    [Fact]
    public async Task A_ProviderAdmin_reads_its_own_provider_and_gets_403_for_another()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(MondayLateMorning));
        var p = await SeedNewYorkWeekAsync(Admin(app));
        var other = PostgresFixture.NewProviderId();

        var own = await PostCreatedAsync(ProviderAdmin(app, p), Path, new { start = 1772859600000, end = 1773201600000, interval = "total" });
        Assert.Equal(p, Long(own["providerId"]));
        Assert.Equal(3, Long(own["totals"]!["logins"]));

        var (status, problem, mediaType) = await PostRawAsync(ProviderAdmin(app, other), Path, new { providerId = p });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("application/problem+json", mediaType);
        Assert.Equal(403, (int)JsonNode.Parse(problem)!["status"]!);
    }

    private static void AssertBucket(JsonObject bucket, long logins, long uniqueAgents, double seconds)
    {
        Assert.Equal(logins, Long(bucket["logins"]));
        Assert.Equal(uniqueAgents, Long(bucket["uniqueAgents"]));
        Near(seconds, bucket["loggedInSeconds"]);
    }
}
