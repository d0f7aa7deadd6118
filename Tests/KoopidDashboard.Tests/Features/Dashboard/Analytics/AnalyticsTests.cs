using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;
using static KoopidDashboard.Tests.Features.Dashboard.Analytics.AnalyticsFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.Analytics;

/// <summary>Each analysis type on the fixture of <see cref="AnalyticsFixture"/>, with hand-worked numbers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AnalyticsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-03-10T12:30:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static void Bounds(JsonNode? bucket, long start, long end)
    {
        Assert.Equal(start, Long(bucket!["start"]));
        Assert.Equal(end, Long(bucket["end"]));
    }

    [Fact]
    public async Task Volume_counts_each_metric_in_the_bucket_of_its_own_timestamp()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "volume", p);

        Assert.Equal("volume", (string?)body["analysisType"]);
        Assert.Equal(p, Long(body["providerId"]));
        Assert.Equal((H09, H12, "PT1H", "UTC"), (Long(body["start"]), Long(body["end"]), (string?)body["interval"], (string?)body["tz"]));
        var b = body["buckets"]!.AsArray();
        Assert.Equal(3, b.Count);
        Bounds(b[0], H09, H10);
        Bounds(b[1], H10, H11);
        Bounds(b[2], H11, H12);
        // 09: started i1 i2 i3; offered i1 i2 i3 (queuedAt 09:00:30, 09:10:30, 09:20:00); answered i1 i2; abandoned i3; messages m1..m5
        Cell(b[0], ("started", 3), ("botOnly", 0), ("offered", 3), ("answered", 2), ("abandoned", 1), ("messages", 5));
        // 10: started i4 i5; bot-only i4 (never queued); offered/answered i5 (queued 10:31); messages m6..m9
        Cell(b[1], ("started", 2), ("botOnly", 1), ("offered", 1), ("answered", 1), ("abandoned", 0), ("messages", 4));
        // 11: i6 started and queued at 11:50, still waiting
        Cell(b[2], ("started", 1), ("botOnly", 0), ("offered", 1), ("answered", 0), ("abandoned", 0), ("messages", 0));
        // i7 and m10 (12:00) are outside [09:00, 12:00)
        Cell(body["totals"], ("started", 6), ("botOnly", 1), ("offered", 5), ("answered", 3), ("abandoned", 1), ("messages", 9));
        Assert.Empty(body["rows"]!.AsArray());
    }

    [Fact]
    public async Task Wait_time_has_exact_percentiles_per_bucket_and_a_histogram()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "waitTime", p);
        var b = body["buckets"]!.AsArray();

        // 09: waits 10 (i1), 30 (i2): avg 20; p50 (10+30)/2 = 20; p90 at 0.9·1 → 10 + 0.9·20 = 28; p95 29; p99 29.8
        Cell(b[0], ("answered", 2), ("waitSecondsAvg", 20), ("waitSecondsMax", 30), ("waitSecondsP50", 20), ("waitSecondsP90", 28),
            ("waitSecondsP95", 29), ("waitSecondsP99", 29.8));
        Cell(b[1], ("answered", 1), ("waitSecondsAvg", 120), ("waitSecondsP50", 120), ("waitSecondsP99", 120)); // i5 alone
        Cell(b[2], ("answered", 0), ("waitSecondsAvg", null), ("waitSecondsMax", null), ("waitSecondsP50", null), ("waitSecondsP99", null));
        // all: 10 30 120 → avg 160/3; p50 30; p90 at 1.8 → 30 + 0.8·90 = 102; p95 at 1.9 → 111; p99 at 1.98 → 118.2
        Cell(body["totals"], ("answered", 3), ("waitSecondsAvg", 160.0 / 3), ("waitSecondsMax", 120), ("waitSecondsP50", 30),
            ("waitSecondsP90", 102), ("waitSecondsP95", 111), ("waitSecondsP99", 118.2));

        // histogram [0,10) [10,30) [30,60) [60,120) [120,300) [300,600) [600,1800) [1800,3600) [3600,∞): 10 → bin 2, 30 → bin 3, 120 → bin 5
        var rows = body["rows"]!.AsArray();
        Assert.Equal(9, rows.Count);
        Cell(rows[0], ("fromSeconds", 0), ("toSeconds", 10), ("samples", 0), ("share", 0));
        Cell(rows[1], ("fromSeconds", 10), ("toSeconds", 30), ("samples", 1), ("share", 1.0 / 3));
        Cell(rows[2], ("samples", 1));
        Cell(rows[3], ("samples", 0));
        Cell(rows[4], ("fromSeconds", 120), ("toSeconds", 300), ("samples", 1));
        Cell(rows[8], ("fromSeconds", 3600), ("toSeconds", null), ("samples", 0));
    }

    [Fact]
    public async Task Handle_time_is_attributed_to_answeredAt_over_ended_interactions()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "handleTime", p);
        var b = body["buckets"]!.AsArray();

        // 09: i1 answered 09:00:40 handle 300, i2 answered 09:11:00 handle 120: avg 210, p90 120 + 0.9·180 = 282, p95 291, p99 298.2
        Cell(b[0], ("handled", 2), ("handleSecondsAvg", 210), ("handleSecondsMax", 300), ("handleSecondsP50", 210), ("handleSecondsP90", 282),
            ("handleSecondsP95", 291), ("handleSecondsP99", 298.2));
        Cell(b[1], ("handled", 1), ("handleSecondsAvg", 600), ("handleSecondsP90", 600)); // i5 answered 10:33:00, ended 10:43:00
        Cell(b[2], ("handled", 0), ("handleSecondsAvg", null), ("handleSecondsP50", null));
        // all: 120 300 600 → avg 340; p50 300; p90 at 1.8 → 300 + 0.8·300 = 540; p95 570; p99 594
        Cell(body["totals"], ("handled", 3), ("handleSecondsAvg", 340), ("handleSecondsMax", 600), ("handleSecondsP50", 300),
            ("handleSecondsP90", 540), ("handleSecondsP95", 570), ("handleSecondsP99", 594));
        var rows = body["rows"]!.AsArray();
        Cell(rows[4], ("fromSeconds", 120), ("samples", 1));  // 120
        Cell(rows[5], ("fromSeconds", 300), ("samples", 1));  // 300
        Cell(rows[6], ("fromSeconds", 600), ("toSeconds", 1800), ("samples", 1), ("share", 1.0 / 3)); // 600
    }

    [Fact]
    public async Task First_response_is_the_first_agent_message_after_answeredAt()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "firstResponse", p);
        var b = body["buckets"]!.AsArray();

        // 09: i1 09:00:50 − 09:00:40 = 10 (the second agent message does not count), i2 09:11:30 − 09:11:00 = 30
        Cell(b[0], ("handled", 2), ("firstResponseSecondsAvg", 20), ("firstResponseSecondsMax", 30), ("firstResponseSecondsP50", 20),
            ("firstResponseSecondsP90", 28), ("firstResponseSecondsP95", 29), ("firstResponseSecondsP99", 29.8));
        Cell(b[1], ("firstResponseSecondsAvg", 60)); // i5 10:34:00 − 10:33:00
        Cell(b[2], ("firstResponseSecondsAvg", null));
        // all: 10 30 60 → avg 100/3; p50 30; p90 30 + 0.8·30 = 54; p95 57; p99 59.4
        Cell(body["totals"], ("firstResponseSecondsAvg", 100.0 / 3), ("firstResponseSecondsP50", 30), ("firstResponseSecondsP90", 54),
            ("firstResponseSecondsP95", 57), ("firstResponseSecondsP99", 59.4), ("firstResponseSecondsMax", 60));
        var rows = body["rows"]!.AsArray();
        Cell(rows[1], ("samples", 1)); // 10
        Cell(rows[2], ("samples", 1)); // 30
        Cell(rows[3], ("samples", 1)); // 60
    }

    [Fact]
    public async Task Sentiment_has_bands_with_inclusive_neutral_edges_and_a_trend()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "sentiment", p);
        var b = body["buckets"]!.AsArray();

        // 09: 0.8 positive, −0.5 negative, 0 neutral; avg 0.3/3 = 0.1
        Cell(b[0], ("sentimentScored", 3), ("avgSentiment", 0.1), ("sentimentNegative", 1), ("sentimentNeutral", 1), ("sentimentPositive", 1));
        // 10: 0.25 and −0.25 sit on the neutral band's edges; avg 0
        Cell(b[1], ("sentimentScored", 2), ("avgSentiment", 0), ("sentimentNegative", 0), ("sentimentNeutral", 2), ("sentimentPositive", 0));
        Cell(b[2], ("sentimentScored", 0), ("avgSentiment", null), ("sentimentNeutral", 0)); // i6 has none
        Cell(body["totals"], ("sentimentScored", 5), ("avgSentiment", 0.06)); // 0.3 / 5
        var rows = body["rows"]!.AsArray();
        Assert.Equal(["negative", "neutral", "positive"], rows.Select(r => (string?)r!["band"]));
        Cell(rows[0], ("min", -1), ("max", -0.25), ("interactions", 1), ("share", 0.2));
        Cell(rows[1], ("interactions", 3), ("share", 0.6));
        Cell(rows[2], ("interactions", 1), ("share", 0.2));
    }

    [Fact]
    public async Task Csat_has_a_score_distribution_and_a_trend()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "csat", p);
        var b = body["buckets"]!.AsArray();

        Cell(b[0], ("csatResponses", 2), ("avgCsat", 3.5), ("csatSatisfied", 1), ("csatSatisfiedRate", 0.5), ("csat2", 1), ("csat5", 1)); // 5, 2
        Cell(b[1], ("csatResponses", 2), ("avgCsat", 4), ("csatSatisfied", 1), ("csatSatisfiedRate", 0.5)); // 5, 3
        Cell(b[2], ("csatResponses", 0), ("avgCsat", null), ("csatSatisfied", 0), ("csatSatisfiedRate", null));
        Cell(body["totals"], ("csatResponses", 4), ("avgCsat", 3.75), ("csatSatisfied", 2), ("csatSatisfiedRate", 0.5)); // 15 / 4; i7's 1 is outside
        var rows = body["rows"]!.AsArray();
        Assert.Equal(5, rows.Count);
        Cell(rows[0], ("score", 1), ("responses", 0), ("share", 0));
        Cell(rows[1], ("score", 2), ("responses", 1), ("share", 0.25));
        Cell(rows[2], ("score", 3), ("responses", 1), ("share", 0.25));
        Cell(rows[3], ("score", 4), ("responses", 0), ("share", 0));
        Cell(rows[4], ("score", 5), ("responses", 2), ("share", 0.5));
    }

    [Theory]
    // Tuesday = 2; UTC hours 9, 10, 11
    [InlineData("UTC", 2, 9, 3, 2, 10, 2, 2, 11, 1)]
    // Kolkata (+05:30): 09:00 09:10 09:20 → 14:30..14:50; 10:05 → 15:35; 10:30 → 16:00 and 11:50 → 17:20 (checked: 14, 15, 17)
    [InlineData("Asia/Kolkata", 2, 14, 3, 2, 15, 1, 2, 17, 1)]
    public async Task Heatmap_counts_by_local_weekday_and_hour(string tz, int d1, int h1, long n1, int d2, int h2, long n2, int d3, int h3, long n3)
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "heatmap", p, tz: tz);

        Assert.Equal(tz, (string?)body["tz"]);
        Assert.Equal("total", (string?)body["interval"]);
        var rows = body["rows"]!.AsArray();
        Assert.Equal(168, rows.Count);
        Cell(rows[0], ("weekday", 1), ("hour", 0), ("started", 0));
        Cell(rows[(d1 - 1) * 24 + h1], ("weekday", d1), ("hour", h1), ("started", n1));
        Cell(rows[(d2 - 1) * 24 + h2], ("weekday", d2), ("hour", h2), ("started", n2));
        Cell(rows[(d3 - 1) * 24 + h3], ("weekday", d3), ("hour", h3), ("started", n3));
        Assert.Equal(6, rows.Sum(r => Long(r!["started"])));
        Cell(body["totals"], ("started", 6));
    }

    [Fact]
    public async Task Heatmap_takes_other_metrics_at_their_own_timestamp()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "heatmap", p, new { metrics = new[] { "offered", "handled" } });
        var rows = body["rows"]!.AsArray();
        // offered by queuedAt: 09 → i1 i2 i3, 10 → i5, 11 → i6; handled by answeredAt: 09 → i1 i2, 10 → i5
        Cell(rows[24 + 9], ("offered", 3), ("handled", 2));
        Cell(rows[24 + 10], ("offered", 1), ("handled", 1));
        Cell(rows[24 + 11], ("offered", 1), ("handled", 0));
    }

    [Fact]
    public async Task Channels_rows_have_share_and_buckets_hold_every_bucket_and_channel()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "channels", p);

        Assert.Equal(["channel"], body["groupBy"]!.AsArray().Select(x => (string?)x));
        var rows = body["rows"]!.AsArray();
        // busiest first, ties by name
        Assert.Equal(["webchat", "sms", "voice", "whatsapp"], rows.Select(r => (string?)r!["channel"]));
        // webchat: i1 i3 i6; answered i1; abandoned i3; durations 340, 90 → 215; sentiment 0.8, 0 → 0.4; csat 5; share 3/6
        Cell(rows[0], ("started", 3), ("answered", 1), ("abandoned", 1), ("durationSecondsAvg", 215), ("avgSentiment", 0.4), ("avgCsat", 5), ("share", 0.5));
        Cell(rows[1], ("started", 1), ("answered", 1), ("abandoned", 0), ("durationSecondsAvg", 180), ("avgSentiment", -0.5), ("avgCsat", 2), ("share", 1.0 / 6));
        Cell(rows[2], ("started", 1), ("answered", 1), ("durationSecondsAvg", 780), ("avgSentiment", -0.25), ("avgCsat", 3));
        Cell(rows[3], ("started", 1), ("answered", 0), ("durationSecondsAvg", 120), ("avgSentiment", 0.25), ("avgCsat", 5));

        var b = body["buckets"]!.AsArray();
        Assert.Equal(12, b.Count); // 3 hours × 4 channels
        Assert.Equal("webchat", (string?)b[0]!["channel"]);
        Bounds(b[0], H09, H10);
        Cell(b[0], ("started", 2), ("answered", 1), ("abandoned", 1), ("durationSecondsAvg", 215)); // i1 i3
        Assert.Equal("whatsapp", (string?)b[3]!["channel"]);
        Cell(b[3], ("started", 0), ("durationSecondsAvg", null), ("avgSentiment", null)); // nothing at 09 on whatsapp
        Bounds(b[8], H11, H12);
        Cell(b[8], ("started", 1), ("answered", 0), ("durationSecondsAvg", null)); // webchat i6, still waiting
    }

    [Fact]
    public async Task Intents_count_bot_containment_by_the_interactions_intent()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "intents", p, interval: "total");
        var rows = body["rows"]!.AsArray();

        Assert.Equal(["billing", "support", null], rows.Select(r => (string?)r!["intent"]));
        // billing: i1 i2 i5; b2 (i5) escalated; sentiment (0.8 − 0.5 − 0.25)/3; csat (5 + 2 + 3)/3
        Cell(rows[0], ("started", 3), ("botContained", 0), ("avgSentiment", 0.05 / 3), ("avgCsat", 10.0 / 3), ("share", 0.5));
        // support: i3 i4; b1 (i4) contained
        Cell(rows[1], ("started", 2), ("botContained", 1), ("avgSentiment", 0.125), ("avgCsat", 5), ("share", 2.0 / 6));
        Cell(rows[2], ("started", 1), ("botContained", 0), ("avgSentiment", null), ("avgCsat", null), ("share", 1.0 / 6)); // i6
    }

    [Fact]
    public async Task Topics_put_interactions_without_a_topic_last()
    {
        var p = await SeedAsync(app);
        var body = await RunAsync(app, "topics", p, interval: "total");
        var rows = body["rows"]!.AsArray();

        Assert.Equal(["login", "invoice", "refund", null], rows.Select(r => (string?)r!["topic"]));
        Cell(rows[0], ("started", 2), ("avgSentiment", 0.125), ("avgCsat", 5), ("share", 2.0 / 6)); // i3 (0), i4 (0.25, csat 5)
        Cell(rows[1], ("started", 1), ("avgSentiment", 0.8), ("avgCsat", 5));
        Cell(rows[2], ("started", 1), ("avgSentiment", -0.5), ("avgCsat", 2));
        Cell(rows[3], ("started", 2), ("avgSentiment", -0.25), ("avgCsat", 3)); // i5, i6
    }

    [Fact]
    public async Task An_empty_range_across_new_york_daylight_saving_days_has_23_and_25_hour_buckets()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "America/New_York"));

        // 2026-03-07 00:00 EST (05:00Z) → 2026-03-10 00:00 EDT (04:00Z); no tz: the provider's zone applies
        var spring = await PostCreatedAsync(Admin(app), RunPath("volume", p), new { start = 1772859600000, end = 1773115200000, interval = "P1D" });
        Assert.Equal("America/New_York", (string?)spring["tz"]);
        var b = spring["buckets"]!.AsArray();
        Assert.Equal(3, b.Count);
        Bounds(b[0], 1772859600000, 1772946000000); // 24 h
        Bounds(b[1], 1772946000000, 1773028800000); // 2026-03-08: 23 h
        Bounds(b[2], 1773028800000, 1773115200000);
        Cell(b[1], ("started", 0), ("messages", 0));
        Cell(spring["totals"], ("started", 0), ("offered", 0));

        // 2026-10-31 00:00 EDT (04:00Z) → 2026-11-02 00:00 EST (05:00Z): 2026-11-01 has 25 h
        var fall = await PostCreatedAsync(Admin(app), RunPath("waitTime", p), new { start = 1793419200000, end = 1793595600000, interval = "P1D" });
        var f = fall["buckets"]!.AsArray();
        Bounds(f[0], 1793419200000, 1793505600000);
        Bounds(f[1], 1793505600000, 1793595600000);
        Cell(f[1], ("answered", 0), ("waitSecondsAvg", null), ("waitSecondsP99", null));
        Assert.All(fall["rows"]!.AsArray(), r => Cell(r, ("samples", 0), ("share", null)));
    }

    [Fact]
    public async Task Csv_exports_the_buckets_and_with_csv_rows_the_analysis_rows()
    {
        var p = await SeedAsync(app);

        var (status, csv, mediaType) = await PostRawAsync(Admin(app), RunPath("volume", p), Body(p), "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text/csv", mediaType);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("start,end,started,botOnly,offered,answered,abandoned,messages", lines[0]);
        Assert.Equal($"{H09},{H10},3,0,3,2,1,5", lines[1]);
        Assert.Equal(4, lines.Length);

        (status, csv, _) = await PostRawAsync(Admin(app), RunPath("waitTime", p) + "?csv=rows", Body(p), "text/csv");
        lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("fromSeconds,toSeconds,samples,share", lines[0]);
        Assert.Equal("0,10,0,0", lines[1]);
        Assert.Equal("3600,,0,0", lines[9]);
    }

    [Theory]
    [InlineData("volume", "start,end,started,botOnly,offered,answered,abandoned,messages", null)]
    [InlineData("sentiment", "start,end,sentimentScored,avgSentiment,sentimentNegative,sentimentNeutral,sentimentPositive", "band,min,max,interactions,share")]
    [InlineData("handleTime", "start,end,handled,handleSecondsAvg,handleSecondsMax,handleSecondsP50,handleSecondsP90,handleSecondsP95,handleSecondsP99", "fromSeconds,toSeconds,samples,share")]
    [InlineData("firstResponse", "start,end,handled,firstResponseSecondsAvg,firstResponseSecondsMax,firstResponseSecondsP50,firstResponseSecondsP90,firstResponseSecondsP95,firstResponseSecondsP99", "fromSeconds,toSeconds,samples,share")]
    [InlineData("heatmap", "start,end,started", "weekday,hour,started")]
    [InlineData("channels", "start,end,channel,started,answered,abandoned,durationSecondsAvg,avgSentiment,avgCsat", "channel,started,answered,abandoned,durationSecondsAvg,avgSentiment,avgCsat,share")]
    [InlineData("intents", "start,end,intent,started,botContained,avgSentiment,avgCsat", "intent,started,botContained,avgSentiment,avgCsat,share")]
    [InlineData("topics", "start,end,topic,started,avgSentiment,avgCsat", "topic,started,avgSentiment,avgCsat,share")]
    [InlineData("csat", "start,end,csatResponses,avgCsat,csatSatisfied,csatSatisfiedRate,csat1,csat2,csat3,csat4,csat5", "score,responses,share")]
    public async Task Every_analysis_answers_csv_for_its_buckets_and_rows(string analysisType, string bucketHeader, string? rowHeader)
    {
        var p = await SeedAsync(app);
        var (status, csv, mediaType) = await PostRawAsync(Admin(app), RunPath(analysisType, p), Body(p), "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text/csv", mediaType);
        Assert.Equal(bucketHeader, csv.Split("\r\n")[0]);

        using var get = new HttpRequestMessage(HttpMethod.Get, RunPath(analysisType, p) + $"?start={H09}&end={H12}&interval=PT1H&csv=rows");
        get.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await Admin(app).SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        if (rowHeader is not null)
        {
            Assert.Equal(rowHeader, lines[0]);
            Assert.True(lines.Length > 1);
        }
    }
}
