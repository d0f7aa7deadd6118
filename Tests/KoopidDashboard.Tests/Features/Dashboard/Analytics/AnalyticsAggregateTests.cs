using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;
using static KoopidDashboard.Tests.Features.Dashboard.Analytics.AnalyticsFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.Analytics;

/// <summary>aggregate: every groupBy, two dimensions at once, the GET data syntax, and equality with the dedicated slices.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AnalyticsAggregateTests(PostgresFixture db) : IAsyncLifetime
{
    private const long Mar09 = 1773014400000, Mar12 = 1773273600000; // 2026-03-09 and 2026-03-12 00:00Z
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-03-10T12:30:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("channel", """["sms","voice","webchat","whatsapp"]""", new long[] { 1, 1, 3, 1 })]   // webchat i1 i3 i6
    [InlineData("interactionType", """["chat","sms","voice"]""", new long[] { 4, 1, 1 })]           // chat i1 i3 i4 i6
    [InlineData("queueId", "[1,2,null]", new long[] { 3, 2, 1 })]                                   // 1: i1 i2 i6; 2: i3 i5; none: i4
    [InlineData("agentId", "[1,2,null]", new long[] { 2, 1, 3 })]                                   // 1: i1 i5; 2: i2; none: i3 i4 i6
    [InlineData("botId", "[7,null]", new long[] { 2, 4 })]                                          // i4 i5
    [InlineData("intent", """["billing","support",null]""", new long[] { 3, 2, 1 })]
    [InlineData("topic", """["invoice","login","refund",null]""", new long[] { 1, 2, 1, 2 })]
    public async Task Aggregate_groups_started_by_each_dimension(string groupBy, string keys, long[] started)
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "aggregate", p, new { metrics = new[] { "started" }, groupBy = new[] { groupBy } }, interval: "total");

        Assert.Equal([groupBy], body["groupBy"]!.AsArray().Select(x => (string?)x));
        var rows = body["rows"]!.AsArray();
        Assert.Equal(JsonNode.Parse(keys)!.ToJsonString(), new JsonArray(rows.Select(r => r![groupBy]?.DeepClone()).ToArray()).ToJsonString());
        Assert.Equal(started, rows.Select(r => Long(r!["started"])));
        Assert.All(rows, r => Assert.Equal((H09, H12), (Long(r!["start"]), Long(r["end"]))));
        Cell(body["totals"], ("started", 6));
    }

    [Fact]
    public async Task Two_dimensions_mix_sources_and_judge_each_queue_by_its_own_service_level()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "aggregate", p,
            new { metrics = new[] { "offered", "serviceLevel", "messages" }, groupBy = new[] { "queueId", "channel" } }, interval: "total");
        var rows = body["rows"]!.AsArray();

        Assert.Equal(["1/sms", "1/webchat", "2/voice", "2/webchat", "/whatsapp"],
            rows.Select(r => $"{r!["queueId"]?.ToJsonString()}/{(string?)r["channel"]}"));
        Cell(rows[0], ("offered", 1), ("serviceLevel", 0), ("messages", 2));    // i2: 30 s > Billing's 20 s (the default 60 would pass)
        Cell(rows[1], ("offered", 2), ("serviceLevel", 0.5), ("messages", 3));  // i1 10 s ≤ 20; i6 still waiting; m1..m3
        Cell(rows[2], ("offered", 1), ("serviceLevel", 0), ("messages", 2));    // i5: 120 s > 60
        Cell(rows[3], ("offered", 1), ("serviceLevel", 0), ("messages", 0));    // i3 abandoned
        Cell(rows[4], ("offered", 0), ("serviceLevel", null), ("messages", 2)); // i4 never queued: no sample, its messages count
        Cell(body["totals"], ("offered", 5), ("serviceLevel", 0.2), ("messages", 9)); // 1 of 5 within its queue's threshold
    }

    [Fact]
    public async Task Rows_are_flat_per_bucket_and_group_with_empty_cells_present()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "aggregate", p, new { metrics = new[] { "started", "durationSecondsAvg" }, groupBy = new[] { "channel" } });
        var rows = body["rows"]!.AsArray();

        Assert.Equal(12, rows.Count); // 3 hours × sms, voice, webchat, whatsapp
        Assert.Equal((H09, H10, "sms"), (Long(rows[0]!["start"]), Long(rows[0]!["end"]), (string?)rows[0]!["channel"]));
        Cell(rows[2], ("started", 2), ("durationSecondsAvg", 215)); // 09 webchat: i1 340, i3 90
        Cell(rows[6], ("started", 0), ("durationSecondsAvg", null)); // 10 webchat: nothing
        Assert.Equal((H11, "webchat"), (Long(rows[10]!["start"]), (string?)rows[10]!["channel"]));
        Cell(rows[10], ("started", 1), ("durationSecondsAvg", null)); // i6 has not ended
        Assert.All(rows, r => Assert.Equal(5, r!.AsObject().Count)); // start, end, channel, two metrics: no nesting
        // buckets hold the per-bucket figures over all groups
        Cell(body["buckets"]![0], ("started", 3), ("durationSecondsAvg", (340 + 180 + 90) / 3.0));

        var (status, csv, _) = await PostRawAsync(Admin(app), RunPath("aggregate", p) + "?csv=rows",
            Body(p, new { metrics = new[] { "started", "durationSecondsAvg" }, groupBy = new[] { "channel" } }), "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,channel,started,durationSecondsAvg", lines[0]);
        Assert.Equal($"{H09},{H10},webchat,2,215", lines[3]);
    }

    [Fact]
    public async Task Get_reads_the_query_and_the_data_options_and_answers_200_with_the_post_figures()
    {
        var p = await SeedAsync(app);
        var post = await RunAsync(app, "aggregate", p, new { metrics = new[] { "offered", "answered" }, groupBy = new[] { "queueId" }, channel = new[] { "webchat", "sms" } }, interval: "total");

        var query = $"?start={H09}&end={H12}&interval=total&tz=UTC&channel=webchat&channel=sms&data="
            + Uri.EscapeDataString("metrics:offered;answered,groupBy:queueId");
        var (status, text) = await GetRawAsync(Admin(app), RunPath("aggregate", p) + query);
        Assert.True(status == HttpStatusCode.OK, text);
        var get = JsonNode.Parse(text)!;
        Assert.Equal(post["rows"]!.ToJsonString(), get["rows"]!.ToJsonString());
        var rows = get["rows"]!.AsArray();
        Cell(rows[0], ("queueId", 1), ("offered", 3), ("answered", 2)); // i1 i2 i6 (webchat, sms)
        Cell(rows[1], ("queueId", 2), ("offered", 1), ("answered", 0)); // i3 (webchat); i5 is voice

        // unencoded, as people type it
        (status, text) = await GetRawAsync(Admin(app), RunPath("aggregate", p)
            + $"?start={H09}&end={H12}&interval=total&channel=webchat&channel=sms&data=metrics:offered;answered,groupBy:queueId");
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(post["rows"]!.ToJsonString(), JsonNode.Parse(text)!["rows"]!.ToJsonString());

        // repeated parameters work too, and the analysis type is case-insensitive
        (status, text) = await GetRawAsync(Admin(app), $"/Dashboard/Analytics/AGGREGATE/{p}?start={H09}&end={H12}&interval=total&metrics=offered&groupBy=queueId");
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Equal(3, Long(JsonNode.Parse(text)!["rows"]![0]!["offered"]));
    }

    private static void SameFigures(JsonNode? expected, JsonNode? actual, params string[] names)
    {
        foreach (var name in names)
        {
            var (e, a) = (expected![name], actual![name]);
            Assert.True(e is null == a is null, $"{name}: {e?.ToJsonString() ?? "null"} vs {a?.ToJsonString() ?? "null"}");
            if (e is not null)
                Assert.Equal(e.GetValue<double>(), a!.GetValue<double>(), 9);
        }
    }

    [Fact]
    public async Task Queue_metrics_equal_AgentQueueStats_per_day_and_per_queue()
    {
        var p = await SeedAsync(app);
        string[] names = ["offered", "answered", "abandoned", "serviceLevel", "abandonRate", "waitSecondsAvg", "waitSecondsMax", "waitSecondsP50", "waitSecondsP90", "abandonSecondsAvg"];
        var range = new { providerId = p, start = Mar09, end = Mar12, interval = "P1D", tz = "UTC" };
        var slice = await PostCreatedAsync(Admin(app), "/Dashboard/AgentQueueStats", range);
        var perDay = await PostCreatedAsync(Admin(app), RunPath("aggregate", p), new { range.providerId, range.start, range.end, range.interval, range.tz, metrics = names });
        var perQueue = await PostCreatedAsync(Admin(app), RunPath("aggregate", p), new { range.providerId, range.start, range.end, interval = "total", metrics = names, groupBy = new[] { "queueId" } });

        for (var d = 0; d < 3; d++)
        {
            Assert.Equal(slice["buckets"]![d]!["start"]!.ToJsonString(), perDay["buckets"]![d]!["start"]!.ToJsonString());
            SameFigures(slice["buckets"]![d], perDay["buckets"]![d], names);
        }
        SameFigures(slice["totals"], perDay["totals"], names);
        Assert.Equal(2, perQueue["rows"]!.AsArray().Count);
        for (var q = 0; q < 2; q++)
        {
            Assert.Equal(Long(slice["rows"]![q]!["queueId"]), Long(perQueue["rows"]![q]!["queueId"]));
            SameFigures(slice["rows"]![q], perQueue["rows"]![q], names);
        }
        // Billing over the three days: i1 i2 i6 and i7 (queued 12:00:10); within 20 s: i1 (10), i7 (10) → 2/4
        Cell(perQueue["rows"]![0], ("offered", 4), ("answered", 3), ("serviceLevel", 0.5));

        // per queue per day: the aggregate's queue-1 rows equal AgentQueueStats filtered to queue 1
        var sliceQ1 = await PostCreatedAsync(Admin(app), "/Dashboard/AgentQueueStats", new { range.providerId, range.start, range.end, range.interval, range.tz, queueId = new[] { 1 } });
        var grouped = await PostCreatedAsync(Admin(app), RunPath("aggregate", p), new { range.providerId, range.start, range.end, range.interval, range.tz, metrics = names, groupBy = new[] { "queueId" } });
        var q1 = grouped["rows"]!.AsArray().Where(r => Long(r!["queueId"]) == 1).ToList();
        Assert.Equal(3, q1.Count);
        for (var d = 0; d < 3; d++)
            SameFigures(sliceQ1["buckets"]![d], q1[d], names);
    }

    [Fact]
    public async Task Started_per_channel_equals_Interactions_with_a_channel_filter()
    {
        var p = await SeedAsync(app);
        var slice = await PostCreatedAsync(Admin(app), "/Dashboard/Interactions", Body(p, new { channel = new[] { "webchat" } }));
        var body = await RunAsync(app, "aggregate", p, new { metrics = new[] { "started", "durationSecondsAvg" }, groupBy = new[] { "channel" } });
        var webchat = body["rows"]!.AsArray().Where(r => (string?)r!["channel"] == "webchat").ToList();

        Assert.Equal(3, webchat.Count);
        for (var h = 0; h < 3; h++)
        {
            Assert.Equal(Long(slice["buckets"]![h]!["start"]), Long(webchat[h]!["start"]));
            SameFigures(slice["buckets"]![h], webchat[h], "started", "durationSecondsAvg");
        }
        Assert.Equal([2L, 0L, 1L], webchat.Select(r => Long(r!["started"]))); // i1 i3 | – | i6
    }

    [Fact]
    public async Task Agent_work_equals_AgentSessionStats_per_agent_and_messages_equal_the_Messages_slice()
    {
        var p = await SeedAsync(app);
        string[] names = ["handled", "handleSecondsAvg", "handleSecondsP50", "handleSecondsP90", "firstResponseSecondsAvg", "firstResponseSecondsP50", "firstResponseSecondsP90"];
        var range = new { providerId = p, start = Mar09, end = Mar12, interval = "P1D", tz = "UTC" };
        var slice = await PostCreatedAsync(Admin(app), "/Dashboard/AgentSessionStats", range);
        var perAgent = await PostCreatedAsync(Admin(app), RunPath("aggregate", p), new { range.providerId, range.start, range.end, interval = "total", metrics = names, groupBy = new[] { "agentId" } });

        var rows = perAgent["rows"]!.AsArray();
        Assert.Equal([1L, 2L], rows.Select(r => Long(r!["agentId"])));
        foreach (var row in rows)
            SameFigures(slice["rows"]!.AsArray().Single(r => Long(r!["agentId"]) == Long(row!["agentId"])), row, names);
        // agent 1: i1 300, i5 600, i7 280 (12:00:20 → 12:05:00) → avg 1180/3
        Cell(rows[0], ("handled", 3), ("handleSecondsAvg", 1180.0 / 3));

        var messages = await PostCreatedAsync(Admin(app), "/Dashboard/Messages", Body(p));
        var ours = await RunAsync(app, "aggregate", p, new { metrics = new[] { "messages", "messagesFromAgent", "messagesFromCustomer" } });
        for (var h = 0; h < 3; h++)
        {
            Assert.Equal(Long(messages["buckets"]![h]!["total"]), Long(ours["buckets"]![h]!["messages"]));
            Assert.Equal(Long(messages["buckets"]![h]!["fromAgent"]), Long(ours["buckets"]![h]!["messagesFromAgent"]));
            Assert.Equal(Long(messages["buckets"]![h]!["fromCustomer"]), Long(ours["buckets"]![h]!["messagesFromCustomer"]));
        }
        Cell(ours["totals"], ("messages", 9), ("messagesFromAgent", 4), ("messagesFromCustomer", 3)); // m2 m3 m5 m8; m1 m4 m7
    }
}
