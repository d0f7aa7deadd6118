using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.RedactedFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.RedactedMessages;

[Collection(PostgresCollection.Name)]
public sealed class RedactedMessagesTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // [2026-03-08 09:00Z, 10:00Z)
    private const long Start = 1772960400000;
    private const long End = 1772964000000;

    private static string Url(long p, string extra = "") => $"/Dashboard/{p}/RedactedMessages?start={Start}&end={End}{extra}";

    private async Task<long> ProviderWithWorkflowAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p, "America/New_York"),
            new { type = "agent", providerId = p, agentId = 7, name = "Ada Agent" },
            new { type = "bot", providerId = p, botId = 3, name = "Greeter" },
            new { type = "queue", providerId = p, queueId = 12, name = "Billing" },
            Interaction(p, 70, "2026-03-08T08:59:00Z", sentiment: -0.25, botId: 3, queueId: 12, agentId: 7, channel: "sms", intent: "refund", topic: "billing"),
            Message(p, 1, 70, "2026-03-08T09:00:00Z", "My card 4111111111111111 was charged twice"),
            Message(p, 2, 70, "2026-03-08T09:00:01Z", "Hello, I am the bot", "bot"),           // no senderId: the interaction's bot
            Message(p, 3, 70, "2026-03-08T09:00:02Z", "Ada here, let me check", "agent", 7),
            Message(p, 4, 70, "2026-03-08T09:00:03Z", "Agent joined", "system"),
            Message(p, 5, 70, "2026-03-08T10:00:00Z", "outside the range (end is exclusive)"));
        return p;
    }

    [Fact]
    public async Task Rows_carry_redacted_text_sender_interaction_workflow_session_and_entity_types()
    {
        var p = await ProviderWithWorkflowAsync();

        var body = await GetObjectAsync(app.ProviderAdmin(p), Url(p));

        Assert.Equal((p, Start, End, 100), ((long)body["providerId"]!, (long)body["start"]!, (long)body["end"]!, (int)body["limit"]!));
        Assert.Null(body["nextCursor"]);
        var rows = body["messages"]!.AsArray();
        Assert.Equal([1L, 2L, 3L, 4L], rows.Select(m => (long)m!["messageId"]!));
        var first = rows[0]!.AsObject();
        Assert.Equal(1772960400000, (long)first["sentAt"]!);
        Assert.Equal("customer", (string)first["senderType"]!);
        Assert.Null(first["senderId"]);
        Assert.Null(first["senderName"]);                       // customer names are never returned
        Assert.Equal("My card <CREDIT_CARD> was charged twice", (string)first["text"]!);
        Assert.Equal(-0.25, (double)first["sentiment"]!);
        Assert.Equal(("billing", "refund"), ((string)first["topic"]!, (string)first["intent"]!));
        Assert.Equal((3L, "Greeter", 12L, "Billing"), ((long)first["botId"]!, (string)first["botName"]!, (long)first["queueId"]!, (string)first["queueName"]!));
        Assert.Equal((70L, "sms"), ((long)first["interactionId"]!, (string)first["channel"]!));
        Assert.Equal(["CREDIT_CARD"], first["entityTypes"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("Greeter", (string)rows[1]!["senderName"]!);   // bot without senderId → the interaction's bot
        Assert.Equal((7L, "Ada Agent"), ((long)rows[2]!["senderId"]!, (string)rows[2]!["senderName"]!));
        Assert.Null(rows[3]!["senderName"]);                         // system
        Assert.Empty(rows[3]!["entityTypes"]!.AsArray());
    }

    [Fact]
    public async Task Paging_while_new_messages_arrive_neither_repeats_nor_skips_a_row()
    {
        var p = PostgresFixture.NewProviderId();
        var admin = app.KoopidAdmin();
        await Ndjson.IngestAsync(admin, Ndjson.Provider(p), Interaction(p, 1, "2026-03-08T09:00:00Z"),
            Message(p, 1, 1, "2026-03-08T09:01:00Z", "m1"),
            Message(p, 2, 1, "2026-03-08T09:02:00Z", "m2"),
            Message(p, 3, 1, "2026-03-08T09:03:00.000001Z", "m3"),
            Message(p, 4, 1, "2026-03-08T09:03:00.000001Z", "m4"),  // same instant as m3: the id breaks the tie
            Message(p, 5, 1, "2026-03-08T09:03:00.000002Z", "m5"),  // same millisecond, one microsecond later
            Message(p, 6, 1, "2026-03-08T09:06:00Z", "m6"),
            Message(p, 7, 1, "2026-03-08T09:07:00Z", "m7"),
            Message(p, 8, 1, "2026-03-08T09:08:00Z", "m8"),
            Message(p, 9, 1, "2026-03-08T09:09:00Z", "m9"),
            Message(p, 10, 1, "2026-03-08T09:10:00Z", "m10"));
        var client = app.ProviderAdmin(p);

        var page1 = await GetObjectAsync(client, Url(p, "&limit=3"));
        Assert.Equal([1L, 2L, 3L], Ids(page1));

        await Ndjson.IngestAsync(admin,
            Message(p, 100, 1, "2026-03-08T09:00:30Z", "behind the cursor: not seen by this walk"),
            Message(p, 103, 1, "2026-03-08T09:03:00.000001Z", "same instant as m3, larger id: ahead"),
            Message(p, 101, 1, "2026-03-08T09:08:30Z", "ahead of the cursor"),
            Message(p, 102, 1, "2026-03-08T10:30:00Z", "after the range"));

        var seen = new List<long>(Ids(page1));
        var cursor = (string?)page1["nextCursor"];
        var pages = 1;
        while (cursor is not null)
        {
            var page = await GetObjectAsync(client, Url(p, $"&limit=3&cursor={cursor}"));
            seen.AddRange(Ids(page));
            cursor = (string?)page["nextCursor"];
            pages++;
        }

        // (sentAt, messageId) order: m3, m4, 103 share an instant; 101 falls between m8 and m9
        Assert.Equal([1L, 2L, 3L, 4L, 103L, 5L, 6L, 7L, 8L, 101L, 9L, 10L], seen);
        Assert.Equal(4, pages); // 12 rows at 3 a page; the last page is full and still says nextCursor = null
    }

    [Fact]
    public async Task A_cursor_keeps_its_range_when_start_and_end_are_left_out()
    {
        var p = await ProviderWithWorkflowAsync();
        var client = app.ProviderAdmin(p);

        var page1 = await GetObjectAsync(client, Url(p, "&limit=2"));
        var page2 = await GetObjectAsync(client, $"/Dashboard/{p}/RedactedMessages?limit=2&cursor={(string)page1["nextCursor"]!}");

        Assert.Equal((Start, End), ((long)page2["start"]!, (long)page2["end"]!));
        Assert.Equal([3L, 4L], Ids(page2));
        Assert.Null(page2["nextCursor"]);
    }

    [Fact]
    public async Task A_tampered_forged_or_foreign_cursor_is_a_400_problem()
    {
        var p = await ProviderWithWorkflowAsync();
        var client = app.ProviderAdmin(p);
        var cursor = (string)(await GetObjectAsync(client, Url(p, "&limit=1")))["nextCursor"]!;
        var flipped = cursor[..10] + (cursor[10] == 'A' ? 'B' : 'A') + cursor[11..];

        foreach (var bad in new[] { flipped, cursor[..^2], "AAAA", "not a cursor!", cursor + "AA" })
        {
            using var response = await client.GetAsync(Url(p, $"&cursor={Uri.EscapeDataString(bad)}"));
            var body = await response.Content.ReadAsStringAsync();
            var fields = string.Join(",", await ProblemFieldsAsync(response));
            Assert.True(fields == "cursor", $"{bad} → {body}");
        }
        // the genuine cursor, but for another range
        using var otherRange = await client.GetAsync($"/Dashboard/{p}/RedactedMessages?start={Start}&end={End + 1}&cursor={cursor}");
        Assert.Equal(["cursor"], await ProblemFieldsAsync(otherRange));
        // a cursor issued for provider p does not verify for provider q, even with the same range
        var q = await ProviderWithWorkflowAsync();
        using var foreign = await app.ProviderAdmin(q).GetAsync(Url(q, $"&cursor={cursor}"));
        Assert.Equal(["cursor"], await ProblemFieldsAsync(foreign));
    }

    [Theory]
    [InlineData("&limit=0", "limit")]
    [InlineData("&limit=1001", "limit")]
    [InlineData("&start=5&end=1", "start")]
    public async Task Invalid_parameters_are_400_problems_naming_the_field(string extra, string field)
    {
        var p = await ProviderWithWorkflowAsync();
        using var response = await app.ProviderAdmin(p).GetAsync($"/Dashboard/{p}/RedactedMessages?x=1{(extra.Contains("start") ? extra : $"&start={Start}&end={End}{extra}")}");
        Assert.Contains(field, await ProblemFieldsAsync(response));
    }

    [Fact]
    public async Task Ndjson_and_csv_stream_the_whole_range_whatever_the_limit()
    {
        var p = await ProviderWithWorkflowAsync();
        var client = app.ProviderAdmin(p);

        var ndjson = await GetTextAsync(client, Url(p, "&limit=1"), "application/x-ndjson");
        var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([1L, 2L, 3L, 4L], lines.Select(l => (long)JsonNode.Parse(l)!["messageId"]!));
        Assert.Equal("My card <CREDIT_CARD> was charged twice", (string)JsonNode.Parse(lines[0])!["text"]!);

        var csv = (await GetTextAsync(client, Url(p, "&limit=1"), "text/csv")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("messageId,sentAt,senderType,senderId,senderName,text,sentiment,topic,intent,botId,botName,queueId,queueName,interactionId,channel,entityTypes", csv[0]);
        Assert.Equal("1,1772960400000,customer,,,My card <CREDIT_CARD> was charged twice,-0.25,billing,refund,3,Greeter,12,Billing,70,sms,CREDIT_CARD", csv[1]);
        Assert.Equal("3,1772960402000,agent,7,Ada Agent,\"Ada here, let me check\",-0.25,billing,refund,3,Greeter,12,Billing,70,sms,", csv[3]);
        Assert.Equal(5, csv.Length);
    }

    [Fact]
    public async Task A_koopid_admin_and_another_providers_admin_get_403()
    {
        var p = await ProviderWithWorkflowAsync();

        using var asKoopidAdmin = await app.KoopidAdmin().GetAsync(Url(p));
        using var asOtherProvider = await app.ProviderAdmin(p + 1).GetAsync(Url(p));

        Assert.Equal(HttpStatusCode.Forbidden, asKoopidAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOtherProvider.StatusCode);
    }

    private static IEnumerable<long> Ids(JsonObject page) => page["messages"]!.AsArray().Select(m => (long)m!["messageId"]!).ToList();
}
