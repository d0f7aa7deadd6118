using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.Messages;

[Collection(PostgresCollection.Name)]
public sealed class MessagesTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // Kolkata local days: 2026-03-08 00:00 IST = 03-07 18:30Z, 03-09 00:00 IST = 03-08 18:30Z, 03-10 00:00 IST = 03-09 18:30Z.
    private const long Day1 = 1772908200000, Day2 = 1772994600000, Day3 = 1773081000000;

    private static object M(long p, long id, long interactionId, string sentAt, string senderType, string text) => new
    {
        type = "message", providerId = p, messageId = id, interactionId, sentAt, senderType, text,
    };

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p, "Asia/Kolkata"),
            new { type = "interaction", providerId = p, interactionId = 1, channel = "webchat", interactionType = "chat", startedAt = "2026-03-08T09:59:00+05:30", agentId = 10 },
            new { type = "interaction", providerId = p, interactionId = 2, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T23:45:00+05:30", botId = 3 },
            new { type = "interaction", providerId = p, interactionId = 3, channel = "webchat", interactionType = "chat", startedAt = "2026-03-07T12:00:00+05:30" },
            M(p, 1, 1, "2026-03-08T10:00:00+05:30", "customer", "my card is 4111111111111111"),       // day 1, 1 entity
            M(p, 2, 1, "2026-03-08T10:01:00+05:30", "agent", "hello"),
            M(p, 3, 1, "2026-03-08T10:02:00+05:30", "system", "transferred"),
            M(p, 4, 2, "2026-03-08T23:50:00+05:30", "bot", "use card 4111111111111111 then"),   // day 1 (18:20Z), 1 entity
            M(p, 5, 2, "2026-03-09T00:10:00+05:30", "customer", "ok"),                               // day 2 (03-08 18:40Z)
            M(p, 6, 3, "2026-03-09T12:00:00+05:30", "customer", "thanks"),                           // interaction began before the range
            M(p, 7, 99, "2026-03-09T01:00:00+05:30", "customer", "orphan"),                          // no interaction row
            M(p, 8, 3, "2026-03-10T00:00:00+05:30", "customer", "late"));                            // = end: outside
        return p;
    }

    [Fact]
    public async Task Messages_go_to_the_Kolkata_day_of_sentAt_by_sender_with_per_interaction_and_redactions()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Messages", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D"}""");

        Assert.Equal("Asia/Kolkata", (string)body["tz"]!); // the provider's zone by default
        var b = body["buckets"]!.AsArray();
        Assert.Equal([(Day1, Day2), (Day2, Day3)], b.Select(x => ((long)x!["start"]!, (long)x["end"]!)));
        // Day 1: m1..m4 = 4; customer 1, agent 1, bot 1, system 1; interactions {1, 2}: 4 / 2 = 2; entities 1 (m1) + 1 (m4) = 2.
        Assert.Equal((4L, 1L, 1L, 1L, 1L, 2L, 2.0, 2L), Figures(b[0]!));
        // Day 2: m5, m6, m7 = 3 customer messages of interactions {2, 3, 99}: 3 / 3 = 1; no entity.
        Assert.Equal((3L, 3L, 0L, 0L, 0L, 3L, 1.0, 0L), Figures(b[1]!));
        // Range: 7; interactions {1, 2, 3, 99}: 7 / 4 = 1.75.
        Assert.Equal((7L, 4L, 1L, 1L, 1L, 4L, 1.75, 2L), Figures(body["totals"]!));
    }

    [Fact]
    public async Task Filters_apply_through_the_messages_interaction()
    {
        var p = await LoadAsync();

        var webchat = await PostAsync(Pa(app, p), "/Dashboard/Messages", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D","channel":["webchat"]}""");
        var agent = await PostAsync(Pa(app, p), "/Dashboard/Messages", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"total","agentId":[10]}""");
        var bot = await PostAsync(Pa(app, p), "/Dashboard/Messages", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"total","botId":[3],"interactionType":["sms"]}""");

        // webchat = interactions 1 and 3: day 1 m1..m3 (3 / 1), day 2 m6 only (the orphan m7 matches no filter).
        Assert.Equal((3L, 1L, 1L, 0L, 1L, 1L, 3.0, 1L), Figures(webchat["buckets"]![0]!));
        Assert.Equal((1L, 1L, 0L, 0L, 0L, 1L, 1.0, 0L), Figures(webchat["buckets"]![1]!));
        Assert.Equal(3, (long)agent["totals"]!["total"]!);    // interaction 1's m1..m3
        Assert.Equal(2, (long)bot["totals"]!["total"]!);      // interaction 2's m4, m5
        Assert.Equal(1, (long)bot["totals"]!["redactedEntities"]!);   // m4's card
    }

    [Fact]
    public async Task An_empty_range_has_zero_counts_and_a_null_per_interaction()
    {
        var p = await LoadAsync();

        var body = await PostAsync(Pa(app, p), "/Dashboard/Messages", """{"start":1780000000000,"end":1780086400000,"interval":"P1D"}""");

        Assert.All(body["buckets"]!.AsArray(), x => Assert.Equal((0L, 0L, 0L, 0L, 0L, 0L, null, 0L), Figures(x!)));
        Assert.Equal((0L, 0L, 0L, 0L, 0L, 0L, null, 0L), Figures(body["totals"]!));
    }

    [Fact]
    public async Task Csv_has_one_line_per_bucket()
    {
        var p = await LoadAsync();

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/Messages", $$"""{"start":{{Day1}},"end":{{Day3}},"interval":"P1D"}""", HttpStatusCode.Created);

        Assert.Equal(["start,end,total,fromCustomer,fromAgent,fromBot,fromSystem,interactions,perInteraction,redactedEntities",
            $"{Day1},{Day2},4,1,1,1,1,2,2,2", $"{Day2},{Day3},3,3,0,0,0,3,1,0"], lines);
    }

    [Fact]
    public async Task Start_after_end_is_a_400_naming_start()
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await PostAsync(Pa(app, p), "/Dashboard/Messages", $$"""{"start":{{Day2}},"end":{{Day1}}}""", HttpStatusCode.BadRequest);
        AssertNamesError(problem, "start");
    }

    private static (long, long, long, long, long, long, double?, long) Figures(JsonNode n) =>
        ((long)n["total"]!, (long)n["fromCustomer"]!, (long)n["fromAgent"]!, (long)n["fromBot"]!, (long)n["fromSystem"]!,
         (long)n["interactions"]!, Num(n["perInteraction"]), (long)n["redactedEntities"]!);
}
