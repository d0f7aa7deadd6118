using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Features.Dashboard;

[Collection(PostgresCollection.Name)]
public sealed class RedactedDataOpenApiTests(PostgresFixture db)
{
    [Theory]
    [InlineData("/Dashboard/{providerId}/ConversationStats", "get", "tz")]
    [InlineData("/Dashboard/{providerId}/RedactedMessages", "get", "cursor")]
    [InlineData("/Dashboard/{providerId}/RedactedMessagesWithPlot", "get", "viewtype")]
    [InlineData("/Dashboard/TopWords", "post", null)]
    public async Task Each_endpoint_is_in_the_openapi_document_with_its_parameters_and_success_status(string path, string method, string? parameter)
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var document = JsonNode.Parse(await app.KoopidAdmin().GetStringAsync("/openapi/v1.json"))!;

        var operation = document["paths"]![path]?[method];
        Assert.NotNull(operation);
        // Summary/description/examples are set with FastEndpoints' Summary(...); the shared OpenApiSetup does not copy them into
        // the document yet (reported to the lead), so they are not asserted here.
        if (parameter is not null)
            Assert.Contains(operation["parameters"]!.AsArray(), p => (string)p!["name"]! == parameter);
        Assert.NotNull(operation["responses"]![method == "post" ? "201" : "200"]);
    }
}
