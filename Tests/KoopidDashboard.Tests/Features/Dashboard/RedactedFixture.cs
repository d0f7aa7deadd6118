using System.Net;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Features.Dashboard;

/// <summary>Event builders and response helpers shared by the four redacted-data slices' tests.</summary>
public static class RedactedFixture
{
    public static object Interaction(long providerId, long id, string startedAt, string? endedAt = null, double? sentiment = null,
        long? botId = null, long? queueId = null, long? agentId = null, string channel = "webchat", string? intent = null, string? topic = null) => new
        {
            type = "interaction",
            providerId,
            interactionId = id,
            channel,
            interactionType = channel is "sms" ? "sms" : "chat",
            startedAt,
            endedAt,
            sentiment,
            botId,
            queueId,
            agentId,
            intent,
            topic,
        };

    public static object Message(long providerId, long id, long interactionId, string sentAt, string text, string senderType = "customer", long? senderId = null) => new
    {
        type = "message",
        providerId,
        messageId = id,
        interactionId,
        sentAt,
        senderType,
        senderId,
        text,
    };

    public static async Task<JsonObject> GetObjectAsync(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"GET {url} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<string> GetTextAsync(HttpClient client, string url, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} ({accept}) answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith(accept, response.Content.Headers.ContentType!.MediaType);
        return body;
    }

    /// <summary>The names of a 400 problem's errors[].</summary>
    public static async Task<string[]> ProblemFieldsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        return JsonNode.Parse(body)!["errors"]!.AsArray().Select(e => (string)e!["name"]!).ToArray();
    }
}
