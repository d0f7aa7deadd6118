using System.Net;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.InteractionType;

[Collection(PostgresCollection.Name)]
public sealed class InteractionTypeTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // New York, 2026-03-07 .. 2026-03-09 local days; 03-08 springs forward (23 h).
    // Buckets: [03-07 05:00Z, 03-08 05:00Z) 24 h, [03-08 05:00Z, 03-09 04:00Z) 23 h, [03-09 04:00Z, 03-10 04:00Z) 24 h.
    private const long Mar7 = 1772859600000, Mar8 = 1772946000000, Mar9 = 1773028800000, Mar10 = 1773115200000;

    private async Task<long> LoadNewYorkAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "America/New_York"),
            Interaction(p, 1, "2026-03-07T10:00:00-05:00", "2026-03-07T10:05:00-05:00"),                 // day 1, chat, 300 s
            Interaction(p, 2, "2026-03-08T01:30:00-05:00", "2026-03-08T01:40:00-05:00"),                 // day 2, chat, 600 s
            Interaction(p, 3, "2026-03-08T23:30:00-04:00", "2026-03-08T23:32:00-04:00", "voice", "voice"), // day 2's last half hour (03:30Z), 120 s
            Interaction(p, 4, "2026-03-09T00:10:00-04:00", null, "voice", "voice"),                       // day 3, not ended
            Interaction(p, 5, "2026-03-09T12:00:00-04:00", "2026-03-09T13:00:00-04:00", "email", "email"), // day 3, 3600 s
            Interaction(p, 6, "2026-03-10T00:00:00-04:00", "2026-03-10T00:01:00-04:00"),                 // = end: outside [start, end)
            Interaction(p, 7, "2026-03-07T04:59:59Z", "2026-03-07T05:01:00Z"));                          // just before start
        return p;
    }

    [Fact]
    public async Task Rows_shares_and_per_type_buckets_over_a_New_York_spring_forward_day()
    {
        var p = await LoadNewYorkAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/InteractionType", $$"""{"start":{{Mar7}},"end":{{Mar10}},"interval":"P1D"}""");

        Assert.Equal(p, (long)body["providerId"]!);
        Assert.Equal((Mar7, Mar10, "P1D", "America/New_York"), ((long)body["start"]!, (long)body["end"]!, (string)body["interval"]!, (string)body["tz"]!));
        var buckets = body["buckets"]!.AsArray();
        Assert.Equal([(Mar7, Mar8), (Mar8, Mar9), (Mar9, Mar10)], buckets.Select(b => ((long)b!["start"]!, (long)b["end"]!)));
        Assert.Equal(23 * 3_600_000L, Mar9 - Mar8);

        // Rows: chat 2 (ids 1, 2), voice 2 (3, 4), email 1 (5) of 5; ties by name: chat before voice.
        var rows = body["rows"]!.AsArray();
        Assert.Equal(["chat", "voice", "email"], rows.Select(r => (string)r!["interactionType"]!));
        Assert.Equal([2L, 2L, 1L], rows.Select(r => (long)r!["interactions"]!));
        Assert.Equal([0.4, 0.4, 0.2], rows.Select(r => (double)r!["share"]!)); // 2/5, 2/5, 1/5
        Assert.Equal(450.0, (double)rows[0]!["durationSecondsAvg"]!);  // (300 + 600) / 2
        Assert.Equal(120.0, (double)rows[1]!["durationSecondsAvg"]!);  // id 4 has not ended: 120 / 1
        Assert.Equal(3600.0, (double)rows[2]!["durationSecondsAvg"]!);

        var totals = body["totals"]!;
        Assert.Equal(5, (long)totals["interactions"]!);
        Assert.Equal(1155.0, (double)totals["durationSecondsAvg"]!); // (300 + 600 + 120 + 3600) / 4
        Assert.Equal(0.4, (double)totals["byType"]!["voice"]!["share"]!);

        // Day 1: chat 1 of 1.
        Assert.Equal(1, (long)buckets[0]!["interactions"]!);
        Assert.Equal(1.0, (double)buckets[0]!["byType"]!["chat"]!["share"]!);
        Assert.Equal(300.0, (double)buckets[0]!["byType"]!["chat"]!["durationSecondsAvg"]!);
        Assert.Equal(0, (long)buckets[0]!["byType"]!["voice"]!["interactions"]!);
        Assert.Equal(0.0, (double)buckets[0]!["byType"]!["voice"]!["share"]!);
        Assert.Null(buckets[0]!["byType"]!["voice"]!["durationSecondsAvg"]);
        // Day 2 (23 h) holds 23:30 EDT: chat 1 + voice 1.
        Assert.Equal(2, (long)buckets[1]!["interactions"]!);
        Assert.Equal(360.0, (double)buckets[1]!["durationSecondsAvg"]!); // (600 + 120) / 2
        Assert.Equal(0.5, (double)buckets[1]!["byType"]!["voice"]!["share"]!);
        Assert.Equal(120.0, (double)buckets[1]!["byType"]!["voice"]!["durationSecondsAvg"]!);
        // Day 3: voice (open) + email.
        Assert.Equal(2, (long)buckets[2]!["interactions"]!);
        Assert.Equal(3600.0, (double)buckets[2]!["durationSecondsAvg"]!);
        Assert.Null(buckets[2]!["byType"]!["voice"]!["durationSecondsAvg"]);
        Assert.Equal(0.5, (double)buckets[2]!["byType"]!["email"]!["share"]!);
        Assert.Equal(0, (long)buckets[2]!["byType"]!["chat"]!["interactions"]!);
    }

    [Fact]
    public async Task Kolkata_hours_start_at_local_midnight_and_filters_apply()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p),
            Interaction(p, 1, "2026-03-08T00:15:00+05:30"),                      // 18:45Z on 03-07: hour 1 (00:00–01:00 IST)
            Interaction(p, 2, "2026-03-08T09:45:00+05:30", null, "sms", "sms"),  // hour 10 (09:00–10:00 IST)
            Interaction(p, 3, "2026-03-08T23:59:00+05:30", null, "whatsapp", "social"), // filtered out by channel
            Interaction(p, 4, "2026-03-07T23:59:00+05:30"));                     // the day before
        // 2026-03-08 00:00 IST = 03-07 18:30Z = 1772908200000; 2026-03-09 00:00 IST = 03-08 18:30Z = 1772994600000.
        var body = await PostAsync(Admin(app), "/Dashboard/InteractionType",
            $$"""{"providerId":{{p}},"start":1772908200000,"end":1772994600000,"interval":"PT1H","tz":"Asia/Kolkata","channel":["webchat","sms"]}""");

        var buckets = body["buckets"]!.AsArray();
        Assert.Equal(24, buckets.Count);
        Assert.Equal((1772908200000L, 1772911800000L), ((long)buckets[0]!["start"]!, (long)buckets[0]!["end"]!)); // 00:00–01:00 IST
        Assert.Equal(1, (long)buckets[0]!["byType"]!["chat"]!["interactions"]!);
        Assert.Equal(1, (long)buckets[9]!["byType"]!["sms"]!["interactions"]!);
        Assert.Equal(0, (long)buckets[1]!["interactions"]!);
        Assert.Null(buckets[1]!["durationSecondsAvg"]);
        Assert.Null(buckets[1]!["byType"]!["chat"]!["share"]); // no interaction in the bucket: no share
        Assert.Equal(["chat", "sms"], body["rows"]!.AsArray().Select(r => (string)r!["interactionType"]!)); // 1 each, by name
        Assert.Equal([0.5, 0.5], body["rows"]!.AsArray().Select(r => (double)r!["share"]!)); // 1/2 each
        Assert.Equal(2, (long)body["totals"]!["interactions"]!);
    }

    [Fact]
    public async Task An_empty_range_has_zero_buckets_no_rows_and_null_averages()
    {
        var p = await LoadNewYorkAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/InteractionType", """{"start":1780000000000,"end":1780086400000,"interval":"P1D","tz":"UTC"}""");

        Assert.Empty(body["rows"]!.AsArray());
        Assert.Equal(0, (long)body["totals"]!["interactions"]!);
        Assert.Null(body["totals"]!["durationSecondsAvg"]);
        Assert.All(body["buckets"]!.AsArray(), b => Assert.Equal(0, (long)b!["interactions"]!));
    }

    [Fact]
    public async Task Csv_has_one_line_per_bucket_with_per_type_columns_and_rows_on_request()
    {
        var p = await LoadNewYorkAsync();
        var json = $$"""{"start":{{Mar7}},"end":{{Mar10}},"interval":"P1D"}""";

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/InteractionType", json, HttpStatusCode.Created);
        var rows = await CsvAsync(Pa(app, p), "/Dashboard/InteractionType?csv=rows", json, HttpStatusCode.Created);

        Assert.Equal(4, lines.Length); // header + 3 days
        Assert.Equal("start,end,interactions,durationSecondsAvg,byType.chat.interactions,byType.chat.share,byType.chat.durationSecondsAvg,"
            + "byType.voice.interactions,byType.voice.share,byType.voice.durationSecondsAvg,byType.email.interactions,byType.email.share,byType.email.durationSecondsAvg", lines[0]);
        Assert.Equal($"{Mar8},{Mar9},2,360,1,0.5,600,1,0.5,120,0,0,", lines[2]);
        Assert.Equal("interactionType,interactions,share,durationSecondsAvg", rows[0]);
        Assert.Equal("chat,2,0.4,450", rows[1]);
    }

    [Fact]
    public async Task A_bad_interval_is_a_400_naming_it()
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await PostAsync(Pa(app, p), "/Dashboard/InteractionType", """{"interval":"PT2H"}""", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "interval");
    }
}
