using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Features.Dashboard;

/// <summary>Small helpers for the agent/bot statistics slices' tests: post a dashboard body, read numbers and nulls.</summary>
public static class AgentStatsTestKit
{
    /// <summary>
    /// A client with a token minted at the real time: <see cref="KoopidApp.ClientAs"/> mints at the app's (frozen) clock,
    /// while JwtBearer checks lifetimes against the wall clock, so a clock frozen in the past or future gets 401.
    /// </summary>
    public static HttpClient As(KoopidApp app, string role, long? providerId = null)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            app.Tokens.Issue([role], providerId, notBefore: TimeProvider.System.GetUtcNow()));
        return client;
    }

    public static HttpClient Admin(KoopidApp app) => As(app, KoopidRoles.KoopidAdmin);

    public static HttpClient ProviderAdmin(KoopidApp app, long providerId) => As(app, KoopidRoles.ProviderAdmin, providerId);

    /// <summary>Posts <paramref name="body"/> as JSON (text/plain, as the seed's <c>*/*</c> clients do) and returns status and raw text.</summary>
    public static async Task<(HttpStatusCode Status, string Body, string? MediaType)> PostRawAsync(HttpClient client, string path, object body, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "text/plain"),
        };
        if (accept is not null)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Posts and asserts 201 Created (every POST /Dashboard/* answers 201, SPEC §3); returns the JSON body.</summary>
    public static async Task<JsonObject> PostCreatedAsync(HttpClient client, string path, object body)
    {
        var (status, text, _) = await PostRawAsync(client, path, body);
        Assert.True(status == HttpStatusCode.Created, $"{path} answered {(int)status}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Posts and asserts a 400 validation problem naming <paramref name="field"/> in errors[].name.</summary>
    public static async Task AssertValidationErrorAsync(HttpClient client, string path, string body, string field)
    {
        var (status, text, mediaType) = await PostRawAsync(client, path, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"expected 400 for {body}, got {(int)status}: {text}");
        Assert.Equal("application/problem+json", mediaType);
        var names = JsonNode.Parse(text)!["errors"]!.AsArray().Select(e => (string?)e!["name"]).ToList();
        Assert.Contains(field, names);
    }

    public static long Long(JsonNode? node) => node!.GetValue<long>();

    public static double Double(JsonNode? node) => node!.GetValue<double>();

    /// <summary>Asserts a double to 9 decimals (durations and ratios come from float8 arithmetic).</summary>
    public static void Near(double expected, JsonNode? node) => Assert.Equal(expected, Double(node), 9);

    public static void Null(JsonObject owner, string name)
    {
        Assert.True(owner.ContainsKey(name), $"{name} is missing (null must be written, not dropped)");
        Assert.Null(owner[name]);
    }

    public static JsonObject At(JsonNode? array, int index) => array!.AsArray()[index]!.AsObject();
}
