using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.AgentStatsTestKit;

namespace KoopidDashboard.Tests.Features.Dashboard.Analytics;

/// <summary>
/// The analytics fixture, UTC, Tuesday 2026-03-10, range [09:00, 12:00). Billing = queue 1 (service level 20 s), Support = queue 2 (60 s).
///   i1 webchat/chat  started 09:00:00, queue 1 queued 09:00:30, answered 09:00:40 (wait 10), ended 09:05:40 (handle 300, duration 340),
///      agent 1, billing/invoice, sentiment 0.8, csat 5; messages customer 09:00:05, agent 09:00:50 (first response 10), agent 09:02:00
///   i2 sms/sms       started 09:10:00, queue 1 queued 09:10:30, answered 09:11:00 (wait 30), ended 09:13:00 (handle 120, duration 180),
///      agent 2, billing/refund, sentiment −0.5, csat 2; messages customer 09:10:05, agent 09:11:30 (first response 30)
///   i3 webchat/chat  started 09:20:00, queue 2 queued 09:20:00, abandoned 09:21:30 (90), ended 09:21:30 (duration 90), support/login, sentiment 0
///   i4 whatsapp/chat started 10:05:00, bot 7 only, ended 10:07:00 (duration 120), support/login, sentiment 0.25, csat 5;
///      messages bot 10:05:10, customer 10:05:30; bot session b1 10:05:00 contained
///   i5 voice/voice   started 10:30:00, bot 7 then queue 2 queued 10:31:00, answered 10:33:00 (wait 120), ended 10:43:00 (handle 600,
///      duration 780), agent 1, billing/no topic, sentiment −0.25, csat 3; messages agent 10:34:00 (first response 60), system 10:43:00;
///      bot session b2 10:30:00 escalated
///   i6 webchat/chat  started 11:50:00, queue 1 queued 11:50:00, still waiting; no intent, topic, sentiment or csat
///   i7 webchat/chat  started 12:00:00 (outside the range), answered 12:00:20 by agent 1, sentiment 1, csat 1, agent message 12:00:30
/// </summary>
public static class AnalyticsFixture
{
    public const long H09 = 1773133200000, H10 = 1773136800000, H11 = 1773140400000, H12 = 1773144000000; // 2026-03-10 09:00Z … 12:00Z

    public static string RunPath(string analysisType, long providerId) => $"/Dashboard/Analytics/{analysisType}/{providerId}";

    public static async Task<long> SeedAsync(KoopidApp app)
    {
        var p = PostgresFixture.NewProviderId();
        object I(long id, string channel, string type, string started, string? ended = null, long? queueId = null, string? queued = null,
            string? answered = null, string? abandoned = null, long? agentId = null, long? botId = null, string? intent = null, string? topic = null,
            double? sentiment = null, int? csat = null) => new
            {
                type = "interaction", providerId = p, interactionId = id, channel, interactionType = type, customerId = 100 + id,
                startedAt = T(started), endedAt = T(ended), queueId, queuedAt = T(queued), answeredAt = T(answered), abandonedAt = T(abandoned),
                agentId, botId, intent, topic, sentiment, csat,
            };
        object M(long id, long interactionId, string sentAt, string senderType, long? senderId = null) => new
        {
            type = "message", providerId = p, messageId = id, interactionId, sentAt = T(sentAt), senderType, senderId, text = "hello",
        };
        object B(long id, long interactionId, string startedAt, string outcome) => new
        {
            type = "botSession", providerId = p, botSessionId = id, botId = 7, interactionId, startedAt = T(startedAt), outcome,
        };

        var result = await Ndjson.IngestAsync(Admin(app), Ndjson.Lines(
            Ndjson.Provider(p, "UTC"),
            new { type = "queue", providerId = p, queueId = 1, name = "Billing", serviceLevelSeconds = 20 },
            new { type = "queue", providerId = p, queueId = 2, name = "Support" },
            I(1, "webchat", "chat", "09:00:00", "09:05:40", 1, "09:00:30", answered: "09:00:40", agentId: 1, intent: "billing", topic: "invoice", sentiment: 0.8, csat: 5),
            I(2, "sms", "sms", "09:10:00", "09:13:00", 1, "09:10:30", answered: "09:11:00", agentId: 2, intent: "billing", topic: "refund", sentiment: -0.5, csat: 2),
            I(3, "webchat", "chat", "09:20:00", "09:21:30", 2, "09:20:00", abandoned: "09:21:30", intent: "support", topic: "login", sentiment: 0),
            I(4, "whatsapp", "chat", "10:05:00", "10:07:00", botId: 7, intent: "support", topic: "login", sentiment: 0.25, csat: 5),
            I(5, "voice", "voice", "10:30:00", "10:43:00", 2, "10:31:00", answered: "10:33:00", agentId: 1, botId: 7, intent: "billing", sentiment: -0.25, csat: 3),
            I(6, "webchat", "chat", "11:50:00", queueId: 1, queued: "11:50:00"),
            I(7, "webchat", "chat", "12:00:00", "12:05:00", 1, "12:00:10", answered: "12:00:20", agentId: 1, intent: "billing", sentiment: 1, csat: 1),
            M(1, 1, "09:00:05", "customer"), M(2, 1, "09:00:50", "agent", 1), M(3, 1, "09:02:00", "agent", 1),
            M(4, 2, "09:10:05", "customer"), M(5, 2, "09:11:30", "agent", 2),
            M(6, 4, "10:05:10", "bot", 7), M(7, 4, "10:05:30", "customer"),
            M(8, 5, "10:34:00", "agent", 1), M(9, 5, "10:43:00", "system"),
            M(10, 7, "12:00:30", "agent", 1),
            B(1, 4, "10:05:00", "contained"), B(2, 5, "10:30:00", "escalated")));
        Assert.Empty(result["rejected"]!.AsArray());
        return p;
    }

    private static string? T(string? time) => time is null ? null : $"2026-03-10T{time}Z";

    /// <summary>The common body: the fixture's range, hourly, UTC, plus the given fields.</summary>
    public static string Body(long p, object? extra = null, string interval = "PT1H", string tz = "UTC")
    {
        var body = new JsonObject { ["providerId"] = p, ["start"] = H09, ["end"] = H12, ["interval"] = interval, ["tz"] = tz };
        if (extra is not null)
            foreach (var (key, value) in JsonSerializer.SerializeToNode(extra)!.AsObject())
                body[key] = value?.DeepClone();
        return body.ToJsonString();
    }

    public static async Task<JsonObject> RunAsync(KoopidApp app, string analysisType, long p, object? extra = null, string interval = "PT1H", string tz = "UTC")
    {
        var (status, text, _) = await PostRawAsync(Admin(app), RunPath(analysisType, p), Body(p, extra, interval, tz));
        Assert.True(status == HttpStatusCode.Created, $"{analysisType} answered {(int)status}: {text}\n"
            + string.Join('\n', app.Logs.Lines.Where(l => l.StartsWith("Error") || l.StartsWith("Critical"))));
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetRawAsync(HttpClient client, string pathAndQuery)
    {
        using var response = await client.GetAsync(pathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asserts the named metrics of one cell (counts as integers, averages to 9 decimals, null as null).</summary>
    public static void Cell(JsonNode? cell, params (string Name, double? Value)[] expected)
    {
        var obj = cell!.AsObject();
        foreach (var (name, value) in expected)
        {
            Assert.True(obj.ContainsKey(name), $"{name} missing in {obj.ToJsonString()}");
            if (value is null)
                Assert.True(obj[name] is null, $"{name} should be null in {obj.ToJsonString()}");
            else
                Assert.True(obj[name] is not null && Math.Abs(obj[name]!.GetValue<double>() - value.Value) < 1e-9,
                    $"{name}: expected {value}, got {obj[name]?.ToJsonString() ?? "null"} in {obj.ToJsonString()}");
        }
    }
}
