using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Features.Dashboard;

/// <summary>Small helpers the stats slices' tests share: post a JSON body, read JSON, CSV, problems.</summary>
public static class StatsHttp
{
    public static async Task<JsonObject> PostAsync(HttpClient client, string path, string json, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> GetAsync(HttpClient client, string pathAndQuery, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{pathAndQuery} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>CSV lines (without the trailing empty one) of a POST (json != null) or GET with Accept: text/csv.</summary>
    public static async Task<string[]> CsvAsync(HttpClient client, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(json is null ? HttpMethod.Get : HttpMethod.Post, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Asserts a 400 problem whose errors name <paramref name="field"/>.</summary>
    public static void AssertNamesError(JsonObject problem, string field)
    {
        Assert.Equal(400, (int)problem["status"]!);
        var names = problem["errors"]!.AsArray().Select(e => (string?)e!["name"]).ToList();
        Assert.Contains(names, n => string.Equals(n, field, StringComparison.OrdinalIgnoreCase));
    }

    public static object Interaction(long providerId, long id, string startedAt, string? endedAt = null, string channel = "webchat",
        string interactionType = "chat", long? customerId = null) => new
        {
            type = "interaction", providerId, interactionId = id, channel, interactionType, startedAt, endedAt, customerId,
        };

    /// <summary>
    /// A client whose token is minted at the real time: KoopidApp.ClientAs mints at the app's (frozen) clock, while JWT
    /// validation checks lifetime against the wall clock, so a clock frozen in the past yields expired tokens (401).
    /// </summary>
    public static HttpClient As(KoopidApp app, string role, long? providerId = null)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            app.Tokens.Issue([role], providerId, notBefore: DateTimeOffset.UtcNow));
        return client;
    }

    public static HttpClient Admin(KoopidApp app) => As(app, KoopidRoles.KoopidAdmin);

    public static HttpClient Pa(KoopidApp app, long providerId) => As(app, KoopidRoles.ProviderAdmin, providerId);

    public static double? Num(JsonNode? node) => node is null ? null : (double)node;
}
