using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;

namespace KoopidDashboard.Tests.Features.Dashboard.AgentQueueStats;

[Collection(PostgresCollection.Name)]
public sealed class AgentQueueStatsTests(PostgresFixture db) : IAsyncLifetime
{
    private const string Path = "/Dashboard/AgentQueueStats";
    private const long H09 = 1773133200000, H10 = 1773136800000, H11 = 1773140400000, H12 = 1773144000000; // 2026-03-10 09:00Z … 12:00Z

    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-03-10T12:30:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static object Queued(long p, long id, long? queueId, string queuedAt, string? answeredAt = null, string? abandonedAt = null,
        long? agentId = null, string channel = "webchat", string type = "chat") => new
        {
            type = "interaction",
            providerId = p,
            interactionId = id,
            channel,
            interactionType = type,
            // started 30 s before queueing: an interaction started in the previous hour still counts where it was queued
            startedAt = DateTimeOffset.Parse(queuedAt).AddSeconds(-30).ToString("yyyy-MM-ddTHH:mm:ssK"),
            queueId,
            queuedAt,
            answeredAt,
            abandonedAt,
            agentId,
        };

    /// <summary>
    /// UTC, 2026-03-10. Billing (queue 1, service level 20 s), Support (queue 2, default 60 s).
    ///   i1 Billing 09:00:00 answered +10 s     i2 Billing 09:10:00 answered +20 s (exactly the threshold)
    ///   i3 Billing 09:20:00 answered +50 s     i4 Billing 09:30:00 abandoned +90 s
    ///   i5 Billing 10:05:00 answered +100 s    i6 Support 09:40:00 answered +30 s (sms, agent 2)
    ///   i7 Support 10:15:00 abandoned +45 s    i8 Support 10:20:00 still waiting (voice)
    ///   i9 queued 08:59:59 and i10 queued 12:00:00: outside [09:00, 12:00).
    /// </summary>
    private async Task<long> SeedAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "UTC"),
            new { type = "queue", providerId = p, queueId = 1, name = "Billing", serviceLevelSeconds = 20 },
            new { type = "queue", providerId = p, queueId = 2, name = "Support" },
            Queued(p, 1, 1, "2026-03-10T09:00:00Z", answeredAt: "2026-03-10T09:00:10Z", agentId: 1),
            Queued(p, 2, 1, "2026-03-10T09:10:00Z", answeredAt: "2026-03-10T09:10:20Z", agentId: 1),
            Queued(p, 3, 1, "2026-03-10T09:20:00Z", answeredAt: "2026-03-10T09:20:50Z", agentId: 1),
            Queued(p, 4, 1, "2026-03-10T09:30:00Z", abandonedAt: "2026-03-10T09:31:30Z"),
            Queued(p, 5, 1, "2026-03-10T10:05:00Z", answeredAt: "2026-03-10T10:06:40Z", agentId: 1),
            Queued(p, 6, 2, "2026-03-10T09:40:00Z", answeredAt: "2026-03-10T09:40:30Z", agentId: 2, channel: "sms", type: "sms"),
            Queued(p, 7, 2, "2026-03-10T10:15:00Z", abandonedAt: "2026-03-10T10:15:45Z"),
            Queued(p, 8, 2, "2026-03-10T10:20:00Z", channel: "voice", type: "voice"),
            Queued(p, 9, 1, "2026-03-10T08:59:59Z", answeredAt: "2026-03-10T09:00:05Z", agentId: 1),
            Queued(p, 10, 2, "2026-03-10T12:00:00Z", answeredAt: "2026-03-10T12:00:05Z", agentId: 2));
        return p;
    }

    private static object Range(long p) => new { providerId = p, start = H09, end = H12, interval = "PT1H", tz = "UTC" };

    [Fact]
    public async Task Queue_metrics_per_hour_per_queue_and_in_total_use_each_queues_own_service_level()
    {
        var p = await SeedAsync();

        var body = await PostCreatedAsync(Admin(app), Path, Range(p));

        Assert.Equal(H09, Long(body["start"]));
        Assert.Equal(H12, Long(body["end"]));
        Assert.Equal("PT1H", (string?)body["interval"]);
        Assert.Equal("UTC", (string?)body["tz"]);
        Null(body, "serviceLevelSeconds");
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(3, buckets.Count);
        Assert.Equal((H09, H10), (Long(At(buckets, 0)["start"]), Long(At(buckets, 0)["end"])));
        Assert.Equal((H10, H11), (Long(At(buckets, 1)["start"]), Long(At(buckets, 1)["end"])));
        Assert.Equal((H11, H12), (Long(At(buckets, 2)["start"]), Long(At(buckets, 2)["end"])));

        // 09:00: i1 i2 i3 i4 i6 offered; i1 i2 i3 i6 answered; i4 abandoned.
        // Within threshold: i1 10 ≤ 20, i2 20 ≤ 20, i6 30 ≤ 60 (i3 50 > 20) → 3/5. Waits sorted 10 20 30 50:
        // avg 110/4 = 27.5, max 50, p50 (20+30)/2 = 25, p90 at 0.9·3 = 2.7 → 30 + 0.7·(50−30) = 44. Abandon avg 90.
        AssertMetrics(At(buckets, 0), 5, 4, 1, serviceLevel: 0.6, abandonRate: 0.2, avg: 27.5, max: 50, p50: 25, p90: 44, abandonAvg: 90);
        // 10:00: i5 i7 i8 offered; i5 answered (100 > 20); i7 abandoned; i8 still waiting → SL 0/3, abandon rate 1/3.
        AssertMetrics(At(buckets, 1), 3, 1, 1, serviceLevel: 0, abandonRate: 1.0 / 3, avg: 100, max: 100, p50: 100, p90: 100, abandonAvg: 45);
        // 11:00: nothing queued: zeros and nulls.
        AssertEmpty(At(buckets, 2));
        // Totals: 8 offered, 5 answered, 2 abandoned; SL 3/8 = 0.375; abandon rate 2/8 = 0.25.
        // Waits 10 20 30 50 100: avg 210/5 = 42, max 100, p50 30, p90 at 0.9·4 = 3.6 → 50 + 0.6·50 = 80. Abandon (90+45)/2 = 67.5.
        AssertMetrics(body["totals"]!.AsObject(), 8, 5, 2, serviceLevel: 0.375, abandonRate: 0.25, avg: 42, max: 100, p50: 30, p90: 80, abandonAvg: 67.5);

        var rows = body["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var billing = At(rows, 0);
        Assert.Equal(1, Long(billing["queueId"]));
        Assert.Equal("Billing", (string?)billing["name"]);
        // Billing: i1..i5; waits 10 20 50 100 → avg 180/4 = 45, p50 (20+50)/2 = 35, p90 at 2.7 → 50 + 0.7·50 = 85; within 20 s: i1 i2 → 2/5.
        AssertMetrics(billing, 5, 4, 1, serviceLevel: 0.4, abandonRate: 0.2, avg: 45, max: 100, p50: 35, p90: 85, abandonAvg: 90);
        var support = At(rows, 1);
        Assert.Equal(2, Long(support["queueId"]));
        Assert.Equal("Support", (string?)support["name"]);
        // Support: i6 i7 i8; one wait of 30 (≤ 60) → SL 1/3, abandon rate 1/3.
        AssertMetrics(support, 3, 1, 1, serviceLevel: 1.0 / 3, abandonRate: 1.0 / 3, avg: 30, max: 30, p50: 30, p90: 30, abandonAvg: 45);
    }

    [Fact]
    public async Task A_queue_the_provider_never_described_and_no_queue_at_all_are_judged_by_60_s_and_listed_last()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "UTC"),
            new { type = "queue", providerId = p, queueId = 9, name = "Billing", serviceLevelSeconds = 20 },
            Queued(p, 1, 7, "2026-03-10T09:00:00Z", answeredAt: "2026-03-10T09:00:45Z"),   // queue 7 unknown: 45 ≤ 60
            Queued(p, 2, 7, "2026-03-10T09:05:00Z", answeredAt: "2026-03-10T09:06:01Z"),   // 61 > 60
            Queued(p, 3, null, "2026-03-10T09:10:00Z", answeredAt: "2026-03-10T09:10:59Z"), // no queue: 59 ≤ 60
            Queued(p, 4, null, "2026-03-10T09:15:00Z", answeredAt: "2026-03-10T09:16:10Z"), // 70 > 60
            Queued(p, 5, 9, "2026-03-10T09:20:00Z", answeredAt: "2026-03-10T09:20:30Z"));   // Billing: 30 > 20

        var body = await PostCreatedAsync(Admin(app), Path, Range(p));

        var rows = body["rows"]!.AsArray();
        Assert.Equal(new long?[] { 7, 9, null }, rows.Select(r => r!["queueId"] is { } id ? (long?)Long(id) : null));
        Assert.Equal(new string?[] { null, "Billing", null }, rows.Select(r => (string?)r!["name"]));
        AssertMetrics(At(rows, 0), 2, 2, 0, serviceLevel: 0.5, abandonRate: 0, avg: 53, max: 61, p50: 53, p90: 59.4, abandonAvg: null);
        AssertMetrics(At(rows, 1), 1, 1, 0, serviceLevel: 0, abandonRate: 0, avg: 30, max: 30, p50: 30, p90: 30, abandonAvg: null);
        AssertMetrics(At(rows, 2), 2, 2, 0, serviceLevel: 0.5, abandonRate: 0, avg: 64.5, max: 70, p50: 64.5, p90: 68.9, abandonAvg: null);
        // waits 30 45 59 61 70: p50 59, p90 at 3.6 → 61 + 0.6·9 = 66.4; within: 45 and 59 → 2/5
        AssertMetrics(body["totals"]!.AsObject(), 5, 5, 0, serviceLevel: 0.4, abandonRate: 0, avg: 53, max: 70, p50: 59, p90: 66.4, abandonAvg: null);
    }

    [Fact]
    public async Task A_custom_service_level_applies_to_every_queue_and_the_seed_spelling_answers_the_same()
    {
        var p = await SeedAsync();
        var request = new { providerId = p, start = H09, end = H12, interval = "PT1H", tz = "UTC", serviceLevelSeconds = 15 };

        foreach (var path in new[] { Path, "/Dashboard/AgetQueueStats", "/dashboard/agetqueuestats" })
        {
            var body = await PostCreatedAsync(Admin(app), path, request);

            Assert.Equal(15, Long(body["serviceLevelSeconds"]));
            // Within 15 s: only i1 (10 s); i2 20, i3 50, i6 30, i5 100 are over.
            Near(0.2, At(body["buckets"], 0)["serviceLevel"]);    // 1/5
            Near(0, At(body["buckets"], 1)["serviceLevel"]);      // 0/3
            Null(At(body["buckets"], 2), "serviceLevel");          // nothing offered
            Near(0.125, body["totals"]!["serviceLevel"]);          // 1/8
            Near(0.2, At(body["rows"], 0)["serviceLevel"]);        // Billing 1/5
            Near(0, At(body["rows"], 1)["serviceLevel"]);          // Support 0/3 (its own 60 s would give 1/3)
            Assert.Equal(8, Long(body["totals"]!["offered"]));
        }
    }

    [Theory]
    [InlineData("""{"channel":["sms"]}""", 1, 1, 0, 1.0)]                 // i6: answered in 30 ≤ 60
    [InlineData("""{"interactionType":["voice"]}""", 1, 0, 0, 0.0)]      // i8: still waiting
    [InlineData("""{"queueId":[2]}""", 3, 1, 1, 1.0 / 3)]                // Support
    [InlineData("""{"agentId":[1]}""", 4, 4, 0, 0.5)]                    // i1 i2 i3 i5; within 20 s: i1 i2 → 2/4
    [InlineData("""{"channel":["webchat"],"queueId":[1]}""", 5, 4, 1, 0.4)] // Billing is all webchat
    [InlineData("""{"queueId":[999]}""", 0, 0, 0, null)]                  // unknown id matches nothing
    public async Task Filters_narrow_the_offered_interactions(string filter, long offered, long answered, long abandoned, double? serviceLevel)
    {
        var p = await SeedAsync();
        var body = JsonNode.Parse(filter)!.AsObject();
        body["providerId"] = p;
        body["start"] = H09;
        body["end"] = H12;
        body["interval"] = "total";
        body["tz"] = "UTC";

        var result = await PostCreatedAsync(Admin(app), Path, body.ToJsonString());

        var totals = result["totals"]!.AsObject();
        Assert.Equal(offered, Long(totals["offered"]));
        Assert.Equal(answered, Long(totals["answered"]));
        Assert.Equal(abandoned, Long(totals["abandoned"]));
        if (serviceLevel is { } sl)
            Near(sl, totals["serviceLevel"]);
        else
            Null(totals, "serviceLevel");
    }

    [Fact]
    public async Task An_empty_range_has_zero_counts_null_ratios_and_no_rows()
    {
        var p = await SeedAsync();

        // 2026-03-11 00:00Z → 03:00Z: nothing queued.
        var body = await PostCreatedAsync(Admin(app), Path, new { providerId = p, start = 1773187200000, end = 1773198000000, interval = "PT1H", tz = "UTC" });

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(3, buckets.Count);
        Assert.Equal(1773187200000 + 3_600_000, Long(At(buckets, 0)["end"]));
        Assert.All(buckets, b => AssertEmpty(b!.AsObject()));
        AssertEmpty(body["totals"]!.AsObject());
        Assert.Empty(body["rows"]!.AsArray());
    }

    [Fact]
    public async Task Csv_lists_buckets_or_queue_rows_with_a_header()
    {
        var p = await SeedAsync();

        var (status, csv, mediaType) = await PostRawAsync(Admin(app), Path, Range(p), "text/csv");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("text/csv", mediaType);
        var lines = csv.Split("\r\n");
        Assert.Equal("start,end,offered,answered,abandoned,serviceLevel,abandonRate,waitSecondsAvg,waitSecondsMax,waitSecondsP50,waitSecondsP90,abandonSecondsAvg", lines[0]);
        Assert.Equal($"{H09},{H10},5,4,1,0.6,0.2,27.5,50,25,44,90", lines[1]);
        Assert.Equal($"{H11},{H12},0,0,0,,,,,,,", lines[3]);   // empty bucket: nulls are empty cells

        var (_, rowsCsv, _) = await PostRawAsync(Admin(app), Path + "?csv=rows", Range(p), "text/csv");
        var rowLines = rowsCsv.Split("\r\n");
        Assert.Equal("queueId,name,offered,answered,abandoned,serviceLevel,abandonRate,waitSecondsAvg,waitSecondsMax,waitSecondsP50,waitSecondsP90,abandonSecondsAvg", rowLines[0]);
        Assert.Equal("1,Billing,5,4,1,0.4,0.2,45,100,35,85,90", rowLines[1]);
    }

    [Theory]
    [InlineData("""{"serviceLevelSeconds":0}""", "serviceLevelSeconds")]
    [InlineData("""{"serviceLevelSeconds":86401}""", "serviceLevelSeconds")]
    [InlineData("""{"serviceLevelSeconds":-5}""", "serviceLevelSeconds")]
    [InlineData("""{"queueId":[QUEUES]}""", "queueId")]
    [InlineData("""{"interval":"P2D"}""", "interval")]
    [InlineData("""{"tz":"EST"}""", "tz")]
    public async Task Invalid_parameters_get_a_400_problem_naming_the_field(string body, string field)
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p));
        body = body.Replace("QUEUES", string.Join(',', Enumerable.Range(1, 201)));   // 201 > the 200-value limit

        await AssertValidationErrorAsync(ProviderAdmin(app, p), Path, body, field);
    }

    [Fact]
    public async Task The_service_level_bounds_themselves_are_accepted()
    {
        var p = await SeedAsync();

        var oneSecond = await PostCreatedAsync(ProviderAdmin(app, p), Path, new { start = H09, end = H12, interval = "total", serviceLevelSeconds = 1 });
        var oneDay = await PostCreatedAsync(ProviderAdmin(app, p), Path, new { start = H09, end = H12, interval = "total", serviceLevelSeconds = 86400 });

        Near(0, oneSecond["totals"]!["serviceLevel"]);          // no wait is ≤ 1 s
        Near(5.0 / 8, oneDay["totals"]!["serviceLevel"]);       // every answered one: 5/8
    }

    [Fact]
    public async Task A_ProviderAdmin_of_another_provider_gets_403_on_both_spellings()
    {
        var p = await SeedAsync();
        var other = PostgresFixture.NewProviderId();

        foreach (var path in new[] { Path, "/Dashboard/AgetQueueStats" })
        {
            var (status, _, mediaType) = await PostRawAsync(ProviderAdmin(app, other), path, new { providerId = p });
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Equal("application/problem+json", mediaType);
        }
    }

    private static void AssertMetrics(JsonObject m, long offered, long answered, long abandoned, double serviceLevel, double abandonRate,
        double avg, double max, double p50, double p90, double? abandonAvg)
    {
        Assert.Equal(offered, Long(m["offered"]));
        Assert.Equal(answered, Long(m["answered"]));
        Assert.Equal(abandoned, Long(m["abandoned"]));
        Near(serviceLevel, m["serviceLevel"]);
        Near(abandonRate, m["abandonRate"]);
        Near(avg, m["waitSecondsAvg"]);
        Near(max, m["waitSecondsMax"]);
        Near(p50, m["waitSecondsP50"]);
        Near(p90, m["waitSecondsP90"]);
        if (abandonAvg is null)
            Null(m, "abandonSecondsAvg");
        else
            Near(abandonAvg.Value, m["abandonSecondsAvg"]);
    }

    private static void AssertEmpty(JsonObject m)
    {
        Assert.Equal(0, Long(m["offered"]));
        Assert.Equal(0, Long(m["answered"]));
        Assert.Equal(0, Long(m["abandoned"]));
        foreach (var name in new[] { "serviceLevel", "abandonRate", "waitSecondsAvg", "waitSecondsMax", "waitSecondsP50", "waitSecondsP90", "abandonSecondsAvg" })
            Null(m, name);
    }
}
