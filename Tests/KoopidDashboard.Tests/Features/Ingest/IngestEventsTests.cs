using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KoopidDashboard.Tests.Features.Ingest;

[Collection(PostgresCollection.Name)]
public sealed class IngestEventsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static object Interaction(long providerId, long id, string startedAt, string? endedAt = null) => new
    {
        type = "interaction", providerId, interactionId = id, channel = "webchat", interactionType = "chat", startedAt, endedAt,
    };

    [Fact]
    public async Task Each_bad_line_is_rejected_with_its_line_number_and_reason_and_the_good_lines_are_stored()
    {
        var p = PostgresFixture.NewProviderId();
        var lines = string.Join('\n',
            Ndjson.Lines(Ndjson.Provider(p)),                                                              // 1 good
            "{not json",                                                                                   // 2 malformed
            $$"""{"type":"spaceship","providerId":{{p}}}""",                                                // 3 unknown type
            $$"""{"type":"agent","providerId":{{p}},"agentId":7}""",                                        // 4 missing name
            $$"""{"type":"agent","providerId":{{p}},"agentId":"seven","name":"A"}""",                       // 5 wrong type
            $$"""{"type":"agent","providerId":{{p + 100_000}},"agentId":7,"name":"A"}""",                    // 6 unknown provider
            $$"""{"type":"interaction","providerId":{{p}},"interactionId":1,"channel":"webchat","interactionType":"chat","startedAt":"2026-03-08 09:00"}""", // 7 no offset
            $$"""{"type":"interaction","providerId":{{p}},"interactionId":1,"channel":"pigeon","interactionType":"chat","startedAt":"2026-03-08T09:00:00Z"}""", // 8 bad enum
            "",                                                                                            // 9 blank: skipped, still counted
            $$"""{"type":"agent","providerId":{{p}},"agentId":7,"name":"Ada"}""",                           // 10 good
            $$"""{"type":"interaction","providerId":{{p}},"interactionId":2,"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T09:00:00Z","endedAt":"2026-03-08T08:00:00Z"}""", // 11 ends before start
            $$"""{"type":"message","providerId":{{p}},"messageId":1,"interactionId":2,"sentAt":"2026-03-08T09:00:00Z","senderType":"customer","text":"a\u0000b"}""", // 12 NUL
            $$"""{"type":"interaction","providerId":{{p}},"interactionId":3,"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T09:00:00Z","sentiment":4}"""); // 13 out of range

        var result = await Ndjson.IngestAsync(app.KoopidAdmin(), lines);

        Assert.Equal(2, (int)result["accepted"]!);
        Assert.Equal(0, (int)result["unchanged"]!);
        var rejected = result["rejected"]!.AsArray().Select(r => ((int)r!["line"]!, (string)r["error"]!)).ToList();
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 11, 12, 13], rejected.Select(r => r.Item1));
        Assert.StartsWith("malformed JSON", rejected[0].Item2);
        Assert.Equal("unknown event type 'spaceship'", rejected[1].Item2);
        Assert.Equal("missing field name", rejected[2].Item2);
        Assert.Equal("agentId must be an integer id", rejected[3].Item2);
        Assert.StartsWith($"unknown provider {p + 100_000}", rejected[4].Item2);
        Assert.StartsWith("startedAt must be an RFC 3339 timestamp", rejected[5].Item2);
        Assert.StartsWith("channel 'pigeon' is not one of", rejected[6].Item2);
        Assert.Equal("endedAt is before startedAt", rejected[7].Item2);
        Assert.Equal("text contains a NUL character", rejected[8].Item2);
        Assert.Equal("sentiment must be between -1 and 1", rejected[9].Item2);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal("Ada", await connection.QuerySingleAsync<string>("SELECT name FROM agents WHERE provider_id = @p AND agent_id = 7", new { p }));
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM interactions WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task Replaying_a_batch_changes_nothing_and_counts_every_line_unchanged()
    {
        var p = PostgresFixture.NewProviderId();
        var batch = Ndjson.Lines(Ndjson.Provider(p, "Europe/Berlin"),
            new { type = "queue", providerId = p, queueId = 1, name = "Billing", serviceLevelSeconds = 30 },
            Interaction(p, 10, "2026-03-08T09:00:00Z"),
            new { type = "message", providerId = p, messageId = 100, interactionId = 10, sentAt = "2026-03-08T09:00:05Z", senderType = "customer", text = "hi there" });

        var first = await Ndjson.IngestAsync(app.KoopidAdmin(), batch);
        var second = await Ndjson.IngestAsync(app.KoopidAdmin(), batch);

        Assert.Equal((4, 0), ((int)first["accepted"]!, (int)first["unchanged"]!));
        Assert.Equal((0, 4), ((int)second["accepted"]!, (int)second["unchanged"]!));
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*) FROM messages WHERE provider_id = @p", new { p }));
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*) FROM interactions WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task A_later_event_for_the_same_id_updates_it_and_keeps_fields_it_leaves_out()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p),
            new { type = "queue", providerId = p, queueId = 1, name = "Billing", serviceLevelSeconds = 20 },
            new { type = "interaction", providerId = p, interactionId = 1, channel = "voice", interactionType = "voice", startedAt = "2026-03-08T09:00:00Z", queueId = 1, intent = "billing" });
        var update = await Ndjson.IngestAsync(app.KoopidAdmin(),
            new { type = "queue", providerId = p, queueId = 1, name = "Billing desk" },
            Interaction(p, 1, "2026-03-08T09:00:00Z", "2026-03-08T09:12:00Z") is var _ ?
                new { type = "interaction", providerId = p, interactionId = 1, channel = "voice", interactionType = "voice", startedAt = "2026-03-08T09:00:00Z", endedAt = "2026-03-08T09:12:00+00:00" } : null!);

        Assert.Equal(2, (int)update["accepted"]!);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var queue = await connection.QuerySingleAsync<(string Name, int Sl)>("SELECT name, service_level_seconds FROM queues WHERE provider_id = @p", new { p });
        Assert.Equal(("Billing desk", 20), queue);
        var row = await connection.QuerySingleAsync<(DateTime? EndedAt, string Intent, long? QueueId)>(
            "SELECT ended_at, intent, queue_id FROM interactions WHERE provider_id = @p", new { p });
        Assert.Equal(new DateTime(2026, 3, 8, 9, 12, 0, DateTimeKind.Utc), row.EndedAt);
        Assert.Equal("billing", row.Intent);
        Assert.Equal(1, row.QueueId);
    }

    [Fact]
    public async Task Two_lines_for_one_interaction_in_one_batch_merge_in_order()
    {
        var p = PostgresFixture.NewProviderId();
        var result = await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p),
            Interaction(p, 5, "2026-03-08T09:00:00Z"),
            Interaction(p, 5, "2026-03-08T09:00:00Z", "2026-03-08T09:30:00Z"));

        Assert.Equal(3, (int)result["accepted"]!);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(new DateTime(2026, 3, 8, 9, 30, 0, DateTimeKind.Utc),
            await connection.QuerySingleAsync<DateTime>("SELECT ended_at FROM interactions WHERE provider_id = @p AND interaction_id = 5", new { p }));
    }

    [Fact]
    public async Task A_json_array_body_is_accepted_and_elements_are_numbered_like_lines()
    {
        var p = PostgresFixture.NewProviderId();
        var body = $$"""[{"type":"provider","providerId":{{p}},"name":"Arr","timeZone":"UTC"}, {"type":"bot","providerId":{{p}},"botId":1}]""";

        var result = await Ndjson.IngestAsync(app.KoopidAdmin(), body);

        Assert.Equal(1, (int)result["accepted"]!);
        Assert.Equal(2, (int)result["rejected"]![0]!["line"]!);
        Assert.Equal("missing field name", (string)result["rejected"]![0]!["error"]!);
    }

    [Fact]
    public async Task After_the_response_returns_the_dashboard_already_reflects_the_batch()
    {
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        await Ndjson.IngestAsync(client, Ndjson.Provider(p), Interaction(p, 1, "2026-03-08T09:00:00Z"), Interaction(p, 2, "2026-03-08T10:00:00Z"));

        using var response = await client.PostAsync($"/Dashboard/Interactions?providerId={p}",
            new StringContent("""{"start":1772956800000,"end":1773043200000,"interval":"total"}""")); // 2026-03-08 00:00Z → +1 day
        var body = await Ndjson.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(2, (int)body["totals"]!["started"]!);
    }

    [Fact]
    public async Task Message_text_is_stored_redacted_and_raw_text_is_not_kept_by_default()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p), Interaction(p, 1, "2026-03-08T09:00:00Z"),
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-08T09:00:05Z", senderType = "customer", text = "my card is 4111 1111 1111 1111, mail me at ana@example.com" });

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var (text, entities) = await connection.QuerySingleAsync<(string, string[])>("SELECT text, redacted_entities FROM messages WHERE provider_id = @p", new { p });
        Assert.Equal("my card is <CREDIT_CARD>, mail me at <EMAIL>", text);
        Assert.Equal(["CREDIT_CARD", "EMAIL"], entities);
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM messages_raw WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task With_StoreRaw_the_original_text_goes_to_its_own_table()
    {
        await using var rawApp = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Redaction:StoreRaw"] = "true" });
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(rawApp.KoopidAdmin(), Ndjson.Provider(p),
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-08T09:00:05Z", senderType = "customer", text = "mail ana@example.com" });

        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal("mail ana@example.com", await connection.QuerySingleAsync<string>("SELECT text FROM messages_raw WHERE provider_id = @p", new { p }));
        Assert.Equal("mail <EMAIL>", await connection.QuerySingleAsync<string>("SELECT text FROM messages WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task A_provider_bound_key_writes_only_its_own_provider()
    {
        var p = PostgresFixture.NewProviderId();
        var other = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p), Ndjson.Provider(other));
        var (key, _) = await app.Services.GetRequiredService<ApiKeyStore>().CreateAsync(KoopidRoles.Ingest, p, "writer");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        var result = await Ndjson.IngestAsync(client,
            new { type = "agent", providerId = p, agentId = 1, name = "Mine" },
            new { type = "agent", providerId = other, agentId = 1, name = "Theirs" });

        Assert.Equal(1, (int)result["accepted"]!);
        Assert.Equal(2, (int)result["rejected"]![0]!["line"]!);
        Assert.Equal($"provider {other} is not writable with these credentials", (string)result["rejected"]![0]!["error"]!);
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_and_stores_nothing()
    {
        await using var small = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = "1000" });
        var p = PostgresFixture.NewProviderId();
        var lines = Ndjson.Lines([Ndjson.Provider(p), .. Enumerable.Range(1, 50).Select(i => new { type = "agent", providerId = p, agentId = i, name = "Agent " + i })]);

        using var response = await small.KoopidAdmin().PostAsync("/Ingest/Events", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM providers WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task A_body_that_is_not_json_text_gets_415()
    {
        var content = new StringContent("<events/>", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");

        using var response = await app.KoopidAdmin().PostAsync("/Ingest/Events", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_ProviderAdmin_cannot_read_another_providers_data_through_ingest_and_dashboards_are_not_open_to_Ingest()
    {
        var p = PostgresFixture.NewProviderId();
        using var response = await app.ClientAs(KoopidRoles.Ingest, p).PostAsync($"/Dashboard/Interactions", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await Ndjson.ReadObjectAsync(response);
        Assert.Equal(403, (int)problem["status"]!);
    }
}
