using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KoopidDashboard.Tests.Support;

/// <summary>Builds ingest batches from anonymous objects and posts them.</summary>
public static class Ndjson
{
    public static string Lines(params object[] events) => string.Join('\n', events.Select(e => JsonSerializer.Serialize(e)));

    public static async Task<JsonObject> IngestAsync(HttpClient client, string ndjson)
    {
        using var response = await client.PostAsync("/Ingest/Events", new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static Task<JsonObject> IngestAsync(HttpClient client, params object[] events) => IngestAsync(client, Lines(events));

    public static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static object Provider(long providerId, string timeZone = "UTC", string name = "Test provider") =>
        new { type = "provider", providerId, name, timeZone };
}
