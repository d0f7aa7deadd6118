using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.ChatStats;

[Collection(PostgresCollection.Name)]
public sealed class ChatStatsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    // The clock says 2026-03-08 10:00 IST (04:30Z).
    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.FromHours(5.5))));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private const long At1000 = 1772944200000, At1030 = 1772946000000, Midnight = 1772908200000; // 10:00, 10:30, 00:00 IST on 03-08

    private static object I(long p, long id, string startedAt, string? queuedAt = null, string? answeredAt = null, string? abandonedAt = null, string? endedAt = null) => new
    {
        type = "interaction", providerId = p, interactionId = id, channel = "webchat", interactionType = "chat",
        startedAt, queueId = queuedAt is null ? (long?)null : 1, queuedAt, answeredAt, abandonedAt, endedAt,
    };

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "Asia/Kolkata"),
            I(p, 1, "2026-03-07T23:00:00+05:30", endedAt: "2026-03-08T00:30:00+05:30"),                                // yesterday, ended
            I(p, 2, "2026-03-08T09:00:00+05:30", "2026-03-08T09:00:00+05:30", "2026-03-08T09:02:00+05:30"),            // answered, open: wait 120
            I(p, 3, "2026-03-08T09:30:00+05:30", "2026-03-08T09:31:00+05:30"),                                         // waiting since 09:31
            I(p, 4, "2026-03-08T09:50:00+05:30", "2026-03-08T09:50:00+05:30"),                                         // waiting since 09:50
            I(p, 5, "2026-03-08T08:00:00+05:30", "2026-03-08T08:00:00+05:30", abandonedAt: "2026-03-08T08:03:00+05:30", endedAt: "2026-03-08T08:03:00+05:30"),
            I(p, 6, "2026-03-08T09:55:00+05:30", "2026-03-08T09:56:00+05:30", "2026-03-08T10:30:00+05:30"),            // answered only at 10:30
            I(p, 7, "2026-03-08T11:00:00+05:30"),                                                                      // after at
            I(p, 8, "2026-03-07T20:00:00+05:30", "2026-03-07T20:00:00+05:30", "2026-03-07T20:01:00+05:30", endedAt: "2026-03-08T10:00:00+05:30"), // ends exactly at 10:00
            new { type = "agentSession", providerId = p, sessionId = 1, agentId = 1, loginAt = "2026-03-07T22:00:00+05:30" },              // open across midnight
            new { type = "agentSession", providerId = p, sessionId = 2, agentId = 2, loginAt = "2026-03-08T08:00:00+05:30", logoutAt = "2026-03-08T09:00:00+05:30" },
            new { type = "agentSession", providerId = p, sessionId = 3, agentId = 3, loginAt = "2026-03-08T09:00:00+05:30", logoutAt = "2026-03-08T10:00:00+05:30" },
            new { type = "agentSession", providerId = p, sessionId = 4, agentId = 4, loginAt = "2026-03-08T09:59:00+05:30", logoutAt = "2026-03-08T12:00:00+05:30" },
            new { type = "botSession", providerId = p, botSessionId = 1, botId = 1, startedAt = "2026-03-08T09:58:00+05:30" },
            new { type = "botSession", providerId = p, botSessionId = 2, botId = 1, startedAt = "2026-03-08T09:00:00+05:30", endedAt = "2026-03-08T09:05:00+05:30" },
            new { type = "botSession", providerId = p, botSessionId = 3, botId = 1, startedAt = "2026-03-08T10:00:00+05:30" });
        return p;
    }

    [Fact]
    public async Task Without_at_the_snapshot_is_taken_now_and_today_starts_at_Kolkata_midnight()
    {
        var p = await LoadAsync();

        var body = await GetAsync(Pa(app, p), "/Dashboard/ChatStats");

        Assert.Equal((p, At1000, "Asia/Kolkata"), ((long)body["providerId"]!, (long)body["at"]!, (string)body["tz"]!));
        var live = body["live"]!;
        Assert.Equal(4, (long)live["activeInteractions"]!);        // 2, 3, 4, 6 (1 and 5 ended, 8 ended at 10:00 exactly, 7 not started)
        Assert.Equal(3, (long)live["waitingInQueue"]!);            // 3, 4, 6 (6 is answered only at 10:30)
        Assert.Equal(1740.0, (double)live["longestWaitSeconds"]!); // 3: 09:31 → 10:00 = 29 min
        Assert.Equal(2, (long)live["agentsOnline"]!);              // agent 1 (open since yesterday), agent 4; agent 3 logged out at 10:00
        Assert.Equal(2, (long)live["activeBotSessions"]!);         // 1 (open), 3 (starts at 10:00)
        var today = body["today"]!;
        Assert.Equal((Midnight, At1000), ((long)today["start"]!, (long)today["end"]!));
        Assert.Equal(5, (long)today["started"]!);                  // 2, 3, 4, 5, 6
        Assert.Equal(5, (long)today["offered"]!);                  // queued today: 2, 3, 4, 5, 6
        Assert.Equal(1, (long)today["answered"]!);                 // 2
        Assert.Equal(1, (long)today["abandoned"]!);                // 5
        Assert.Equal(120.0, (double)today["waitSecondsAvg"]!);     // 2: 09:00 → 09:02
    }

    [Fact]
    public async Task A_later_at_sees_the_answer_that_came_at_1030()
    {
        var p = await LoadAsync();

        var body = await GetAsync(Admin(app), $"/Dashboard/ChatStats?providerId={p}&at={At1030}");

        Assert.Equal(At1030, (long)body["at"]!);
        Assert.Equal(2, (long)body["live"]!["waitingInQueue"]!);             // 3, 4
        Assert.Equal(3540.0, (double)body["live"]!["longestWaitSeconds"]!);  // 09:31 → 10:30 = 59 min
        Assert.Equal(2, (long)body["live"]!["agentsOnline"]!);               // agent 1 (open), agent 4 (until 12:00)
        Assert.Equal(2, (long)body["today"]!["answered"]!);                  // 2 and 6
        Assert.Equal(1080.0, (double)body["today"]!["waitSecondsAvg"]!);     // (120 + 09:56 → 10:30 = 2040) / 2
    }

    [Fact]
    public async Task Before_anything_happened_counts_are_zero_and_waits_null()
    {
        var p = await LoadAsync();

        var body = await GetAsync(Pa(app, p), $"/Dashboard/ChatStats?at={Midnight - 86_400_000L}"); // 03-07 00:00 IST

        Assert.Equal(0, (long)body["live"]!["activeInteractions"]!);
        Assert.Null(body["live"]!["longestWaitSeconds"]);
        Assert.Equal(0, (long)body["today"]!["started"]!);
        Assert.Null(body["today"]!["waitSecondsAvg"]);
    }

    [Fact]
    public async Task Csv_is_one_line_with_flattened_live_and_today_columns()
    {
        var p = await LoadAsync();

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/ChatStats", null, HttpStatusCode.OK);

        Assert.Equal(2, lines.Length);
        Assert.Equal("providerId,at,tz,live.activeInteractions,live.waitingInQueue,live.longestWaitSeconds,live.agentsOnline,live.activeBotSessions,"
            + "today.start,today.end,today.started,today.offered,today.answered,today.abandoned,today.waitSecondsAvg", lines[0]);
        Assert.Equal($"{p},{At1000},Asia/Kolkata,4,3,1740,2,2,{Midnight},{At1000},5,5,1,1,120", lines[1]);
    }

    [Fact]
    public async Task A_negative_at_is_a_400_naming_at_and_a_KoopidAdmin_must_name_the_provider()
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await GetAsync(Pa(app, p), "/Dashboard/ChatStats?at=-1", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "at");
        var missing = await GetAsync(Admin(app), "/Dashboard/ChatStats", HttpStatusCode.BadRequest);
        AssertNamesError(missing, "providerId");
    }
}
