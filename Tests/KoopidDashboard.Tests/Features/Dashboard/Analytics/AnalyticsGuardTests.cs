using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;
using static KoopidDashboard.Tests.Features.Dashboard.Analytics.AnalyticsFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.Analytics;

/// <summary>Validation, unknown analysis types, SQL-injection attempts in every string field, roles and tenancy.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AnalyticsGuardTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-03-10T12:30:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("aggregate", """{"metrics":["nope"]}""", "metrics")]
    [InlineData("aggregate", """{"metrics":["offered"],"groupBy":["nope"]}""", "groupBy")]
    [InlineData("aggregate", """{"metrics":["offered"],"groupBy":["queueId","channel","agentId"]}""", "groupBy")]
    [InlineData("aggregate", """{"metrics":["offered"],"groupBy":["queueId","QUEUEID"]}""", "groupBy")]
    [InlineData("aggregate", """{}""", "metrics")]
    [InlineData("aggregate", """{"metrics":["offered"],"metrics2":1,"data":"metrics:answered"}""", "data")]
    [InlineData("aggregate", """{"data":"metrics"}""", "data")]
    [InlineData("aggregate", """{"data":"colour:red"}""", "data")]
    [InlineData("aggregate", """{"metrics":["botContained"],"queueId":[1]}""", "queueId")]
    [InlineData("aggregate", """{"metrics":["offered"],"interval":"P2D"}""", "interval")]
    [InlineData("aggregate", """{"metrics":["offered"],"tz":"Mars/Olympus_Mons"}""", "tz")]
    [InlineData("volume", """{"metrics":["offered"]}""", "metrics")]
    [InlineData("volume", """{"groupBy":["channel"]}""", "groupBy")]
    [InlineData("heatmap", """{"groupBy":["channel"]}""", "groupBy")]
    [InlineData("heatmap", """{"metrics":["nope"]}""", "metrics")]
    [InlineData("intents", """{"intent":["01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"]}""", "intent")]
    [InlineData("topics", """{"topic":["01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"]}""", "topic")]
    public async Task Invalid_options_are_400_naming_the_field(string analysisType, string extra, string field)
    {
        var p = PostgresFixture.NewProviderId();
        var body = JsonNode.Parse(extra)!.AsObject();
        body["providerId"] = p;
        await AssertValidationErrorAsync(Admin(app), RunPath(analysisType, p), body.ToJsonString(), field);
    }

    [Fact]
    public async Task Too_many_metrics_or_too_long_data_are_400()
    {
        var p = PostgresFixture.NewProviderId();
        await AssertValidationErrorAsync(Admin(app), RunPath("aggregate", p),
            new JsonObject { ["metrics"] = new JsonArray(Enumerable.Repeat("offered", 31).Select(m => (JsonNode?)m).ToArray()) }.ToJsonString(), "metrics");
        await AssertValidationErrorAsync(Admin(app), RunPath("aggregate", p),
            new JsonObject { ["data"] = "metrics:" + string.Join(';', Enumerable.Repeat("offered", 300)) }.ToJsonString(), "data");
    }

    [Fact]
    public async Task A_metric_that_cannot_be_grouped_by_a_dimension_is_400_naming_both()
    {
        var p = PostgresFixture.NewProviderId();
        var (status, text, _) = await PostRawAsync(Admin(app), RunPath("aggregate", p), """{"metrics":["offered","botContained"],"groupBy":["agentId"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonNode.Parse(text)!["errors"]!.AsArray().Single();
        Assert.Equal("groupBy", (string?)error!["name"]);
        var reason = (string)error["reason"]!;
        Assert.Contains("'botContained'", reason);
        Assert.Contains("'agentId'", reason);

        // the GET form says the same
        var (getStatus, getText) = await GetRawAsync(Admin(app), RunPath("aggregate", p) + "?data=" + Uri.EscapeDataString("metrics:containmentRate,groupBy:queueId"));
        Assert.Equal(HttpStatusCode.BadRequest, getStatus);
        Assert.Contains("'containmentRate' cannot be grouped by 'queueId'", getText);
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("Volume2")]
    public async Task An_unknown_analysis_type_is_404_listing_the_valid_ones(string analysisType)
    {
        var p = PostgresFixture.NewProviderId();
        foreach (var (status, text) in new[]
        {
            await GetRawAsync(Admin(app), RunPath(analysisType, p) + "?interval=bogus"),
            (await PostRawAsync(Admin(app), RunPath(analysisType, p), "{}")) is var (s, t, _) ? (s, t) : default,
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, status);
            var problem = JsonNode.Parse(text)!;
            Assert.Equal(404, (int)problem["status"]!);
            Assert.Contains("volume, sentiment, waitTime, handleTime, firstResponse, heatmap, channels, intents, topics, csat, aggregate", (string)problem["detail"]!);
            Assert.Equal(11, problem["validAnalysisTypes"]!.AsArray().Count);
        }
    }

    private async Task<long> CountAsync(string table)
    {
        await using var command = db.DataSource.CreateCommand($"SELECT count(*) FROM {table}");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Sql_injection_attempts_in_every_string_field_are_refused_or_match_nothing_and_the_database_is_intact()
    {
        var p = await SeedAsync(app);
        var (interactions, messages, queues) = (await CountAsync("interactions"), await CountAsync("messages"), await CountAsync("queues"));
        string[] attacks = ["offered; DROP TABLE interactions;--", "' OR 1=1 --", "1) FROM interactions; DELETE FROM messages;--", "queueId\"; TRUNCATE queues; --"];

        foreach (var attack in attacks)
        {
            var text = JsonValue.Create(attack)!.ToJsonString();
            foreach (var (field, body) in new[]
            {
                ("metrics", $$"""{"metrics":[{{text}}]}"""),
                ("groupBy", $$"""{"metrics":["started"],"groupBy":[{{text}}]}"""),
                ("tz", $$"""{"metrics":["started"],"tz":{{text}}}"""),
                ("interval", $$"""{"metrics":["started"],"interval":{{text}}}"""),
                ("data", $$"""{"data":{{text}}}"""),
            })
                await AssertValidationErrorAsync(Admin(app), RunPath("aggregate", p), body, field);

            // string filters are parameters: the attack is just a value that matches nothing
            foreach (var filter in new[] { "channel", "interactionType", "intent", "topic" })
            {
                var body = await PostCreatedAsync(Admin(app), RunPath("aggregate", p), Body(p, new Dictionary<string, object> { ["metrics"] = new[] { "started", "messages", "botSessions" }, [filter] = new[] { attack } }));
                Cell(body["totals"], ("started", 0), ("messages", 0), ("botSessions", 0));
                Assert.DoesNotContain(body["rows"]!.AsArray(), r => Long(r!["started"]) > 0);
            }

            var (getStatus, _) = await GetRawAsync(Admin(app), RunPath("aggregate", p) + "?data=" + Uri.EscapeDataString(attack));
            Assert.Equal(HttpStatusCode.BadRequest, getStatus);
            var (typeStatus, _) = await GetRawAsync(Admin(app), RunPath(Uri.EscapeDataString(attack), p));
            Assert.Equal(HttpStatusCode.NotFound, typeStatus);
            var (numberStatus, _, _) = await PostRawAsync(Admin(app), RunPath("aggregate", p), $$"""{"metrics":["started"],"queueId":[{{text}}]}""");
            Assert.Equal(HttpStatusCode.BadRequest, numberStatus);
        }

        Assert.Equal((interactions, messages, queues), (await CountAsync("interactions"), await CountAsync("messages"), await CountAsync("queues")));
        Cell((await RunAsync(app, "volume", p))["totals"], ("started", 6), ("messages", 9)); // the provider's data as it was
    }

    [Fact]
    public async Task Roles_and_tenancy_apply_to_the_route_provider()
    {
        var p = await SeedAsync(app);
        var query = $"?start={H09}&end={H12}&interval=total";

        var (own, ownText) = await GetRawAsync(ProviderAdmin(app, p), RunPath("volume", p) + query);
        Assert.Equal(HttpStatusCode.OK, own);
        Assert.Equal(6, Long(JsonNode.Parse(ownText)!["totals"]!["started"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await GetRawAsync(ProviderAdmin(app, p + 1), RunPath("volume", p) + query)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostRawAsync(ProviderAdmin(app, p), RunPath("volume", p), new { providerId = p + 1 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostRawAsync(Admin(app), RunPath("volume", p), new { providerId = p + 1 })).Status); // two providers named
        Assert.Equal(HttpStatusCode.Forbidden, (await GetRawAsync(As(app, KoopidRoles.Ingest, p), RunPath("volume", p) + query)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRawAsync(app.CreateClient(), RunPath("volume", p) + query)).Status);
    }

    [Fact]
    public async Task Dense_output_over_fifty_thousand_rows_is_400_with_advice()
    {
        var p = PostgresFixture.NewProviderId();
        var ingest = await Ndjson.IngestAsync(Admin(app), Ndjson.Lines([Ndjson.Provider(p), .. Enumerable.Range(1, 27).Select(i =>
            (object)new { type = "interaction", providerId = p, interactionId = i, channel = "webchat", interactionType = "chat", startedAt = "2026-03-02T10:00:00Z", intent = $"intent{i:00}" })]));
        Assert.True(ingest["rejected"]!.AsArray().Count == 0, ingest.ToJsonString());
        // 2026-03-01 → 2026-03-21: 20 days of PT15M = 1920 buckets × 27 intents = 51 840 rows > 50 000
        var body = new { start = 1772323200000, end = 1774051200000, interval = "PT15M", tz = "UTC", metrics = new[] { "started" }, groupBy = new[] { "intent" } };
        var (status, text, _) = await PostRawAsync(Admin(app), RunPath("aggregate", p), body);
        Assert.True(status == HttpStatusCode.BadRequest, text[..Math.Min(600, text.Length)]);
        var error = JsonNode.Parse(text)!["errors"]![0]!;
        Assert.Equal("groupBy", (string?)error["name"]);
        Assert.Contains("1920 buckets × 27 groups exceed 50000 rows", (string?)error["reason"]);

        // a daily interval fits: 20 × 27 = 540 rows
        var daily = await PostCreatedAsync(Admin(app), RunPath("aggregate", p), body with { interval = "P1D" });
        Assert.Equal(540, daily["rows"]!.AsArray().Count);
    }
}
