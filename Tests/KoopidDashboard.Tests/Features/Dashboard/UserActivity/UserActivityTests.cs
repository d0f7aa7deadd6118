using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.StatsHttp;

namespace KoopidDashboard.Tests.Features.Dashboard.UserActivity;

[Collection(PostgresCollection.Name)]
public sealed class UserActivityTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 20, 12, 0, 0, TimeSpan.Zero)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private const long Mar1At10 = 1772359200000, Mar1At1030 = 1772361000000, Mar5At12 = 1772712000000;

    private static object I(long p, long id, long customerId, string startedAt, string channel, string type, string? endedAt = null,
        long? queueId = null, long? agentId = null, long? botId = null, string? outcome = null, string? intent = null, double? sentiment = null) => new
    {
        type = "interaction", providerId = p, interactionId = id, customerId, channel, interactionType = type, startedAt, endedAt,
        queueId, agentId, botId, outcome, intent, sentiment,
    };

    private static object M(long p, long id, long interactionId, string sentAt) =>
        new { type = "message", providerId = p, messageId = id, interactionId, sentAt, senderType = "customer", text = "hello" };

    private async Task<long> LoadAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(p),
            new { type = "customer", providerId = p, customerId = 42, name = "Ana" },
            new { type = "customer", providerId = p, customerId = 50 },                 // known, never interacted
            new { type = "queue", providerId = p, queueId = 1, name = "Support" },
            new { type = "agent", providerId = p, agentId = 7, name = "Ada" },
            new { type = "bot", providerId = p, botId = 3, name = "Helper" },
            I(p, 1, 42, "2026-03-01T10:00:00Z", "webchat", "chat", "2026-03-01T10:30:00Z", queueId: 1, agentId: 7, outcome: "resolved", intent: "billing", sentiment: 0.5),
            M(p, 1, 1, "2026-03-01T10:00:10Z"),
            M(p, 2, 1, "2026-03-01T10:01:00Z"),
            I(p, 2, 42, "2026-03-03T09:00:00Z", "sms", "sms", "2026-03-03T09:05:00Z", botId: 3, outcome: "contained"),
            M(p, 3, 2, "2026-03-03T09:00:05Z"),
            I(p, 3, 42, "2026-03-05T12:00:00Z", "voice", "voice", sentiment: -0.25),      // open
            I(p, 4, 42, "2026-03-05T12:00:00Z", "webchat", "chat"),                        // same start as 3: id breaks the tie
            I(p, 5, 43, "2026-03-06T12:00:00Z", "webchat", "chat"));                       // another customer
        return p;
    }

    [Fact]
    public async Task The_journey_summarises_every_interaction_and_pages_the_timeline_newest_first()
    {
        var p = await LoadAsync();

        var first = await GetAsync(Pa(app, p), "/Dashboard/UserActivity?for=42&limit=2");

        Assert.Equal((p, 42L), ((long)first["providerId"]!, (long)first["customerId"]!));
        Assert.Equal((Mar1At10, Mar5At12), ((long)first["firstSeenAt"]!, (long)first["lastSeenAt"]!)); // 3 and 4 are open: their start is the latest time
        Assert.Equal(["sms", "voice", "webchat"], first["channels"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(4, (long)first["interactionCount"]!);
        Assert.Equal([4L, 3L], first["timeline"]!.AsArray().Select(x => (long)x!["interactionId"]!)); // same startedAt: higher id first
        Assert.Equal(-0.25, (double)first["timeline"]![1]!["sentiment"]!);
        Assert.Null(first["timeline"]![1]!["endedAt"]);

        var second = await GetAsync(Pa(app, p), $"/Dashboard/UserActivity?for=42&limit=2&cursor={(string)first["nextCursor"]!}");

        var items = second["timeline"]!.AsArray();
        Assert.Equal([2L, 1L], items.Select(x => (long)x!["interactionId"]!));
        Assert.Null(second["nextCursor"]); // exactly the last two
        var i1 = items[1]!;
        Assert.Equal((Mar1At10, Mar1At1030, "webchat", "chat"), ((long)i1["startedAt"]!, (long)i1["endedAt"]!, (string)i1["channel"]!, (string)i1["interactionType"]!));
        Assert.Equal((1L, "Support", 7L, "Ada"), ((long)i1["queueId"]!, (string)i1["queueName"]!, (long)i1["agentId"]!, (string)i1["agentName"]!));
        Assert.Equal(("resolved", "billing", 2L, 0.5), ((string)i1["outcome"]!, (string)i1["intent"]!, (long)i1["messages"]!, (double)i1["sentiment"]!));
        Assert.Null(i1["botId"]);
        Assert.Equal((3L, "Helper", 1L), ((long)items[0]!["botId"]!, (string)items[0]!["botName"]!, (long)items[0]!["messages"]!));
    }

    [Fact]
    public async Task A_known_customer_without_interactions_has_an_empty_journey()
    {
        var p = await LoadAsync();

        var body = await GetAsync(Admin(app), $"/Dashboard/UserActivity?providerId={p}&for=50");

        Assert.Null(body["firstSeenAt"]);
        Assert.Equal(0, (long)body["interactionCount"]!);
        Assert.Empty(body["timeline"]!.AsArray());
        Assert.Null(body["nextCursor"]);
    }

    [Fact]
    public async Task Another_providers_customer_is_the_same_404_as_an_unknown_one()
    {
        var p = await LoadAsync();
        var other = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(Admin(app), Ndjson.Provider(other));

        var theirs = await GetAsync(Pa(app, other), "/Dashboard/UserActivity?for=42", HttpStatusCode.NotFound);
        var nobody = await GetAsync(Pa(app, other), "/Dashboard/UserActivity?for=99999", HttpStatusCode.NotFound);
        var viaAdmin = await GetAsync(Admin(app), $"/Dashboard/UserActivity?providerId={other}&for=42", HttpStatusCode.NotFound);

        Assert.Equal(((string?)theirs["title"], (string?)theirs["detail"], (int)theirs["status"]!), ((string?)nobody["title"], (string?)nobody["detail"], (int)nobody["status"]!));
        Assert.Equal("Customer not found", (string)viaAdmin["title"]!);
        Assert.Equal(404, (int)viaAdmin["status"]!);
    }

    [Fact]
    public async Task Csv_exports_the_timeline_page()
    {
        var p = await LoadAsync();

        var lines = await CsvAsync(Pa(app, p), "/Dashboard/UserActivity?for=42", null, HttpStatusCode.OK);

        Assert.Equal(5, lines.Length);
        Assert.Equal("interactionId,startedAt,endedAt,channel,interactionType,queueId,queueName,agentId,agentName,botId,botName,outcome,intent,messages,sentiment", lines[0]);
        Assert.Equal($"1,{Mar1At10},{Mar1At1030},webchat,chat,1,Support,7,Ada,,,resolved,billing,2,0.5", lines[4]);
    }

    [Theory]
    [InlineData("", "for")]
    [InlineData("?for=0", "for")]
    [InlineData("?for=42&limit=0", "limit")]
    [InlineData("?for=42&limit=201", "limit")]
    [InlineData("?for=42&cursor=not-a-cursor", "cursor")]
    public async Task Bad_parameters_are_a_400_naming_them(string query, string field)
    {
        var p = PostgresFixture.NewProviderId();
        var problem = await GetAsync(Pa(app, p), "/Dashboard/UserActivity" + query, HttpStatusCode.BadRequest);
        AssertNamesError(problem, field);
    }
}
