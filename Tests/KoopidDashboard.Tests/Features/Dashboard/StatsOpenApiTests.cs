using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Features.Dashboard;

/// <summary>The stats slices appear in the OpenAPI document with their seed status codes.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StatsOpenApiTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/Dashboard/InteractionType", "post", "201")]
    [InlineData("/Dashboard/Intents", "post", "201")]
    [InlineData("/Dashboard/CustomerEndpoint", "post", "201")]
    [InlineData("/Dashboard/Messages", "post", "201")]
    [InlineData("/Dashboard/Summary", "post", "201")]
    [InlineData("/Dashboard/DBStats", "post", "201")]
    [InlineData("/Dashboard/ChatStats", "get", "200")]
    [InlineData("/Dashboard/UserActivity", "get", "200")]
    public async Task Each_stats_endpoint_is_documented_with_its_status(string path, string method, string status)
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var operation = doc["paths"]![path]![method]!;
        Assert.NotNull(operation["responses"]![status]);
    }

    [Fact]
    public async Task UserActivity_documents_the_for_query_parameter()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var names = doc["paths"]!["/Dashboard/UserActivity"]!["get"]!["parameters"]!.AsArray().Select(x => (string)x!["name"]!).ToList();
        Assert.Contains("for", names);
        Assert.Contains("cursor", names);
    }
}
