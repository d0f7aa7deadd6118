using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;
using static KoopidDashboard.Tests.Features.Dashboard.Analytics.AnalyticsFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.Analytics;

/// <summary>GET /Dashboard/Analytics: the catalogue lists what the queries compute, and every listed metric runs.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AnalyticsCatalogueTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.Parse("2026-03-10T12:30:00Z")));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<JsonObject> CatalogueAsync(HttpClient client)
    {
        var (status, text) = await GetRawAsync(client, "/Dashboard/Analytics");
        Assert.True(status == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task The_catalogue_lists_every_analysis_and_metric_with_its_definition_unit_and_groupings()
    {
        var catalogue = await CatalogueAsync(Admin(app));

        var types = catalogue["analysisTypes"]!.AsArray();
        Assert.Equal(["volume", "sentiment", "waitTime", "handleTime", "firstResponse", "heatmap", "channels", "intents", "topics", "csat", "aggregate"],
            types.Select(t => (string?)t!["name"]));
        Assert.Equal("/Dashboard/Analytics/waitTime/{providerId}", (string?)types[2]!["path"]);

        var metrics = catalogue["metrics"]!.AsArray().ToDictionary(m => (string)m!["name"]!, m => m!);
        Assert.All(metrics.Values, m =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)m["unit"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)m["definition"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)m["attributedTo"]));
        });
        // SPEC §4 wording and attribution
        Assert.Equal("interactions with queuedAt in the bucket", (string?)metrics["offered"]["definition"]);
        Assert.Equal("queuedAt", (string?)metrics["offered"]["attributedTo"]);
        Assert.Equal("count", (string?)metrics["offered"]["unit"]);
        Assert.Equal(["channel", "interactionType", "queueId", "agentId", "botId", "intent", "topic"], metrics["offered"]["groupBy"]!.AsArray().Select(x => (string?)x));
        Assert.Equal("seconds", (string?)metrics["waitSecondsP99"]["unit"]);
        Assert.Contains("answeredAt − queuedAt over answered", (string?)metrics["waitSecondsP99"]["definition"]);
        Assert.Equal("answeredAt", (string?)metrics["handleSecondsAvg"]["attributedTo"]);
        Assert.Equal("sentAt", (string?)metrics["messages"]["attributedTo"]);
        Assert.Equal(["channel", "interactionType", "botId", "intent", "topic"], metrics["botContained"]["groupBy"]!.AsArray().Select(x => (string?)x));
        Assert.Equal("ratio 0..1", (string?)metrics["serviceLevel"]["unit"]);

        // every analysis' metrics are catalogue metrics
        foreach (var type in types)
            Assert.All(type!["metrics"]!.AsArray(), m => Assert.True(metrics.ContainsKey((string)m!), $"{m} is not in the catalogue"));
        Assert.Contains("metrics:offered;answered,groupBy:queueId", (string?)catalogue["dataSyntax"]);
    }

    [Fact]
    public async Task Every_catalogue_metric_runs_grouped_by_two_of_its_dimensions()
    {
        var p = await SeedAsync(app);
        var catalogue = await CatalogueAsync(Admin(app));

        foreach (var metric in catalogue["metrics"]!.AsArray())
        {
            var name = (string)metric!["name"]!;
            var groupBy = metric["groupBy"]!.AsArray().Select(x => (string)x!).Take(2).ToArray();
            var body = await RunAsync(app, "aggregate", p, new { metrics = new[] { name }, groupBy }, interval: "total");
            Assert.True(body["totals"]!.AsObject().ContainsKey(name), name);
            Assert.All(body["rows"]!.AsArray(), r => Assert.True(r!.AsObject().ContainsKey(name)));
        }
    }

    [Fact]
    public async Task Provider_admins_read_the_catalogue_too_and_other_roles_do_not()
    {
        var admin = await CatalogueAsync(Admin(app));
        var provider = await CatalogueAsync(ProviderAdmin(app, 42));
        Assert.Equal(admin.ToJsonString(), provider.ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, (await GetRawAsync(As(app, KoopidRoles.Ingest, 42), "/Dashboard/Analytics")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetRawAsync(app.CreateClient(), "/Dashboard/Analytics")).Status);
    }

    [Theory]
    [InlineData("/Dashboard/Analytics/{analysisType}/{providerId}", "get", "200")]
    [InlineData("/Dashboard/Analytics/{analysisType}/{providerId}", "post", "201")]
    [InlineData("/Dashboard/Analytics", "get", "200")]
    public async Task The_endpoints_are_documented_with_summary_description_and_status(string path, string method, string status)
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var operation = doc["paths"]![path]![method]!;

        Assert.NotNull(operation["responses"]![status]);
        Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)operation["description"]));
        if (path.Contains("{analysisType}") && method == "get")
        {
            var names = operation["parameters"]!.AsArray().Select(x => (string)x!["name"]!).ToList();
            Assert.Contains("analysisType", names);
            Assert.Contains("data", names);
            Assert.Contains("metrics", names);
            Assert.Contains("intent", names);
        }
        if (method == "post")
            Assert.NotNull(operation["requestBody"]!["content"]!["application/json"]!["example"]);
    }
}
