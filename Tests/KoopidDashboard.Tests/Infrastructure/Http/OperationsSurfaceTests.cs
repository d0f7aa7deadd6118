using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Infrastructure.Http;

/// <summary>SPEC §8: health, the OpenAPI document and the offline Scalar reference.</summary>
[Collection(PostgresCollection.Name)]
public sealed class OperationsSurfaceTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_200_without_credentials(string path)
    {
        using var response = await app.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_bodies_parameters_problems_and_both_security_schemes()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("bearer", (string)schemes["Bearer"]!["scheme"]!);
        Assert.Equal("X-Api-Key", (string)schemes["ApiKey"]!["name"]!);
        Assert.Equal("header", (string)schemes["ApiKey"]!["in"]!);
        Assert.Equal("apiKey", (string)schemes["ApiKeyQuery"]!["name"]!);
        Assert.Equal("query", (string)schemes["ApiKeyQuery"]!["in"]!);
        Assert.NotNull(doc["components"]!["schemas"]!["Problem"]!["properties"]!["errors"]);

        var interactions = doc["paths"]!["/Dashboard/Interactions"]!["post"]!;
        Assert.NotNull(interactions["requestBody"]!["content"]!["application/json"]);
        Assert.NotNull(interactions["responses"]!["201"]);
        foreach (var status in new[] { "400", "401", "403", "503" })
            Assert.NotNull(interactions["responses"]![status]!["content"]!["application/problem+json"]);
        Assert.False(string.IsNullOrEmpty((string?)interactions["summary"]));

        var ingest = doc["paths"]!["/Ingest/Events"]!["post"]!;
        Assert.NotNull(ingest["requestBody"]!["content"]!["application/x-ndjson"]);
    }

    [Fact]
    public async Task Every_GET_operation_lists_its_route_and_query_parameters_and_has_no_body()
    {
        using var response = await app.CreateClient().GetAsync("/openapi/v1.json");
        var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        foreach (var (path, item) in doc["paths"]!.AsObject())
        {
            if (item!["get"] is not { } get)
                continue;
            Assert.Null(get["requestBody"]);
            foreach (var segment in path.Split('/').Where(s => s.StartsWith('{')))
                Assert.Contains(get["parameters"]!.AsArray(), p => (string)p!["name"]! == segment.Trim('{', '}') && (string)p["in"]! == "path");
        }
    }

    [Fact]
    public async Task The_Scalar_reference_is_served_with_its_script_embedded_and_no_outside_fetch()
    {
        var client = app.CreateClient();
        using var page = await client.GetAsync("/scalar/v1");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Koopid Dashboard API", html);
        Assert.DoesNotContain("fonts.googleapis", html);
        Assert.DoesNotContain("cdn.jsdelivr", html);
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(script.StartsWith("http", StringComparison.OrdinalIgnoreCase), $"script comes from outside: {script}");
        using var js = await client.GetAsync(new Uri(new Uri("http://localhost/scalar/v1"), script));
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
    }

    [Fact]
    public async Task An_unknown_path_is_a_404_problem()
    {
        using var response = await app.KoopidAdmin().GetAsync("/Dashboard/NoSuchThing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
