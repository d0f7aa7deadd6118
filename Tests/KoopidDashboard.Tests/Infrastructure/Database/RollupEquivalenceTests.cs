using System.Globalization;
using System.Reflection;
using System.Text;
using FastEndpoints;
using KoopidDashboard.Tests.Infrastructure.Security;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// docs/performance.md: reading rollups must never change an answer. Every dashboard slice (discovered from the endpoint
/// list, POST and GET) is called on one rich fixture with <c>Rollups:Enabled</c> true and false, over ranges with partial
/// edge buckets, PT15M/PT1H/P1D/P1W/total intervals, New York (DST) and Kolkata (+05:30), with and without filters;
/// the two JSON bodies must be identical byte for byte.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RollupEquivalenceTests(PostgresFixture db)
{
    private static readonly FrozenClock Clock = new(new DateTimeOffset(2026, 3, 20, 12, 34, 56, 789, TimeSpan.Zero));

    private static readonly string[] Channels = ["webchat", "sms", "whatsapp", "voice", "email"];
    private static readonly string[] Types = ["chat", "voice", "video", "email", "sms", "social"];
    private static readonly string[] Outcomes = ["contained", "escalated", "abandoned"];
    private static readonly string[] SenderTypes = ["customer", "agent", "bot", "system"];

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long Ms(int year, int month, int day, int hour, int minute, int second = 0, int ms = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>
    /// Deterministic traffic from 2026-02-25 to 2026-03-19 (UTC) at millisecond precision, sent in three batches:
    /// the starts, then the ends (moving some interactions to another bucket or month, and changing dimensions), so
    /// the rollups read are the ones the ingest deltas maintained.
    /// </summary>
    private static List<string> Fixture(long p, string zone, int seed)
    {
        var random = new Random(seed);
        var starts = new List<object> { Ndjson.Provider(p, zone) };
        var ends = new List<object>();
        var moves = new List<object>();
        for (var q = 1; q <= 3; q++)
            starts.Add(new { type = "queue", providerId = p, queueId = q, name = $"Queue {q}", serviceLevelSeconds = 20 * q });
        for (var b = 1; b <= 2; b++)
            starts.Add(new { type = "bot", providerId = p, botId = b, name = $"Bot {b}" });
        for (var a = 1; a <= 4; a++)
            starts.Add(new { type = "agent", providerId = p, agentId = a, name = $"Agent {a}" });
        var origin = new DateTime(2026, 2, 25, 0, 0, 0, DateTimeKind.Utc);
        for (var id = 1; id <= 600; id++)
        {
            var started = origin.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(22).TotalMilliseconds));
            var channel = Channels[random.Next(Channels.Length)];
            var customer = 1 + random.Next(60);
            var queued = random.Next(4) > 0;
            var botId = random.Next(3) == 0 ? 1 + random.Next(2) : (int?)null;
            var queueId = queued ? 1 + random.Next(3) : (int?)null;
            var queuedAt = queued ? started.AddMilliseconds(random.Next(1, 30_000)) : (DateTime?)null;
            starts.Add(new
            {
                type = "interaction", providerId = p, interactionId = id, customerId = customer, channel, interactionType = Types[random.Next(Types.Length)],
                startedAt = Iso(started), queueId, queuedAt = queuedAt is { } qa ? Iso(qa) : null, botId,
                intent = random.Next(3) == 0 ? null : $"intent-{random.Next(5)}", topic = $"topic-{random.Next(3)}",
            });
            if (random.Next(5) == 0)
                continue; // still open
            var answered = queued && random.Next(4) > 0 ? queuedAt!.Value.AddMilliseconds(random.Next(1, 200_000)) : (DateTime?)null;
            var abandoned = queued && answered is null && random.Next(2) == 0 ? queuedAt!.Value.AddMilliseconds(random.Next(1, 300_000)) : (DateTime?)null;
            var ended = (answered ?? abandoned ?? started).AddMilliseconds(random.Next(1, 1_800_000));
            ends.Add(new
            {
                type = "interaction", providerId = p, interactionId = id, channel, interactionType = Types[random.Next(Types.Length)],
                startedAt = Iso(started), answeredAt = answered is { } an ? Iso(an) : null, abandonedAt = abandoned is { } ab ? Iso(ab) : null,
                agentId = answered is null ? (int?)null : 1 + random.Next(4), endedAt = Iso(ended),
                outcome = answered is null ? "abandoned" : "resolved", sentiment = random.Next(3) == 0 ? (double?)null : Math.Round(random.NextDouble() * 2 - 1, 3),
                csat = random.Next(3) == 0 ? (int?)null : 1 + random.Next(5),
            });
            if (random.Next(10) == 0)
            {
                // a correction that moves the start (sometimes across a month or a 15-minute step) and the channel
                var moved = started.AddMinutes(random.Next(-2000, 2000) / 100.0);
                // and sometimes the customer (a customer's first interaction may move away or change hands)
                moves.Add(new
                {
                    type = "interaction", providerId = p, interactionId = id, channel = Channels[random.Next(Channels.Length)], interactionType = "chat",
                    startedAt = Iso(moved), customerId = random.Next(2) == 0 ? customer : 1 + random.Next(60),
                });
            }
            for (var m = 0; m < random.Next(4); m++)
                ends.Add(new
                {
                    type = "message", providerId = p, messageId = id * 10 + m, interactionId = id, sentAt = Iso(started.AddMilliseconds(random.Next(1, 600_000))),
                    senderType = m % 2 == 0 ? "customer" : "agent", text = m == 1 ? "call me at 555-123-4567 or mail ann@example.com" : $"hello number {m} about billing",
                });
            // every sender type, agents with and without a sender id, and redacted entities (message rollup, first response)
            var extra = random.Next(5);
            for (var m = 5; m < 5 + extra; m++)
            {
                var sender = SenderTypes[random.Next(SenderTypes.Length)];
                var message = new
                {
                    type = "message", providerId = p, messageId = id * 10 + m, interactionId = id, sentAt = Iso(started.AddMilliseconds(random.Next(1, 3_600_000))),
                    senderType = sender, senderId = sender == "agent" && random.Next(6) > 0 ? 1 + random.Next(4) : (int?)null,
                    text = random.Next(3) == 0 ? "card 4111111111111111, again 4111111111111111" : $"reply {m}",
                };
                ends.Add(message);
                if (random.Next(6) == 0)
                    // a correction: another sender and time (the first agent message may move or vanish)
                    moves.Add(message with { senderType = SenderTypes[random.Next(SenderTypes.Length)], sentAt = Iso(started.AddMilliseconds(random.Next(1, 3_600_000))) });
            }
        }
        for (var m = 1; m <= 40; m++)
        {
            // messages whose interaction was never sent: counted unfiltered, matched by no filter
            var sender = SenderTypes[m % SenderTypes.Length];
            ends.Add(new
            {
                type = "message", providerId = p, messageId = 100_000 + m, interactionId = 90_000 + m % 7,
                sentAt = Iso(origin.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(22).TotalMilliseconds))),
                senderType = sender, senderId = sender == "agent" ? 1 + m % 4 : (int?)null, text = m % 3 == 0 ? "my card is 4111111111111111" : "orphan",
            });
        }
        // Customers seen before every range (returning), two of whose first interactions are later moved into the ranges.
        for (var c = 1; c <= 20; c++)
            starts.Add(new
            {
                type = "interaction", providerId = p, interactionId = 1000 + c, customerId = c, channel = "webchat", interactionType = "chat",
                startedAt = Iso(new DateTime(2026, 1, 10, c, 17, 0, DateTimeKind.Utc)), intent = "billing", sentiment = 0.25, csat = 4,
            });
        moves.Add(new { type = "interaction", providerId = p, interactionId = 1001, channel = "webchat", interactionType = "chat", startedAt = "2026-03-04T10:00:00.000Z", customerId = 1 });
        moves.Add(new { type = "interaction", providerId = p, interactionId = 1002, channel = "sms", interactionType = "chat", startedAt = "2026-03-05T11:11:11.111Z", customerId = 59 });
        // A queue's threshold changes after its interactions were ingested.
        moves.Add(new { type = "queue", providerId = p, queueId = 1, name = "Queue 1", serviceLevelSeconds = 45 });
        for (var s = 1; s <= 250; s++)
        {
            var started = origin.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(22).TotalMilliseconds));
            var ended = random.Next(4) == 0 ? (DateTime?)null : started.AddMilliseconds(random.Next(1, 900_000));
            starts.Add(new
            {
                // half the sessions belong to an interaction (Intents' botContained)
                type = "botSession", providerId = p, botSessionId = s, botId = 1 + random.Next(2), startedAt = Iso(started),
                interactionId = random.Next(2) == 0 ? 1 + random.Next(600) : (int?)null,
                endedAt = ended is { } e ? Iso(e) : null, outcome = ended is null ? null : Outcomes[random.Next(3)], turns = random.Next(4) == 0 ? (int?)null : random.Next(1, 12),
            });
            if (s % 7 == 0)
                // a correction: the session ends with another outcome, now of another interaction (botContained of both moves)
                moves.Add(new
                {
                    type = "botSession", providerId = p, botSessionId = s, botId = 1, startedAt = Iso(started), interactionId = 1 + (s * 37) % 600,
                    endedAt = Iso(started.AddMinutes(3)), outcome = Outcomes[s % 3],
                });
        }
        for (var s = 1; s <= 40; s++)
        {
            var login = origin.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(22).TotalMilliseconds));
            starts.Add(new
            {
                type = "agentSession", providerId = p, sessionId = s, agentId = 1 + random.Next(4), loginAt = Iso(login),
                logoutAt = random.Next(5) == 0 ? null : Iso(login.AddMinutes(random.Next(30, 700))),
            });
        }
        // a zero-length session (a login, no logged-in time) and one ending at the first range's first instant
        starts.Add(new { type = "agentSession", providerId = p, sessionId = 41, agentId = 1, loginAt = "2026-03-04T10:00:00.000Z", logoutAt = "2026-03-04T10:00:00.000Z" });
        starts.Add(new { type = "agentSession", providerId = p, sessionId = 42, agentId = 2, loginAt = "2026-03-07T09:00:00.000Z", logoutAt = "2026-03-07T10:07:03.250Z" });
        return [Ndjson.Lines([.. starts]), Ndjson.Lines([.. ends]), Ndjson.Lines([.. moves])];
    }

    /// <summary>(start, end, interval, tz): partial edges everywhere except where noted.</summary>
    private static readonly (long Start, long End, string Interval, string Tz)[] Ranges =
    [
        (Ms(2026, 3, 7, 10, 7, 3, 250), Ms(2026, 3, 9, 13, 52, 1), "PT15M", "America/New_York"),       // spring forward 03-08
        (Ms(2026, 3, 2, 0, 10), Ms(2026, 3, 5, 18, 50, 0, 1), "PT1H", "Asia/Kolkata"),
        (Ms(2026, 2, 27, 12, 34, 56, 789), Ms(2026, 3, 12, 3, 3), "P1D", "America/New_York"),
        (Ms(2026, 2, 26, 0, 0, 0, 1), Ms(2026, 3, 19, 23, 59, 59, 999), "P1W", "Asia/Kolkata"),
        (Ms(2026, 2, 28, 18, 30), Ms(2026, 3, 14, 18, 30), "P1D", "Asia/Kolkata"),                    // whole steps only: no raw edge
        (Ms(2026, 3, 3, 9, 1), Ms(2026, 3, 3, 9, 14), "PT15M", "America/New_York"),                    // no whole 15-minute step: raw only
        (Ms(2026, 2, 25, 0, 0), Ms(2026, 3, 20, 0, 0), "total", "America/New_York"),
        (Ms(2026, 3, 1, 5, 5), Ms(2026, 3, 18, 5, 5), "P1M", "Asia/Kolkata"),
        // hourly tier (RollupSplit.HourStart): starts on a 15-minute step mid-hour, ends mid-step; 15-minute rows on both sides
        (Ms(2026, 3, 1, 7, 45), Ms(2026, 3, 10, 16, 50, 10), "PT1H", "America/New_York"),
        (Ms(2026, 2, 24, 23, 20), Ms(2026, 3, 17, 4, 31), "P1W", "America/New_York"),
        // whole 15-minute steps but no whole UTC hour (the previous range, for Summary, has one: 08:00–09:00)
        (Ms(2026, 3, 4, 9, 7), Ms(2026, 3, 4, 10, 52), "PT15M", "America/New_York"),
    ];

    private static readonly string[] PlotViews = ["daily", "hourly", "sender"];

    private static readonly Dictionary<string, object>[] Filters =
    [
        [],
        new() { ["channel"] = new[] { "sms", "voice" } },
        new() { ["queueId"] = new[] { 2L }, ["interactionType"] = new[] { "chat", "voice" } },
        new() { ["agentId"] = new[] { 1L, 3L } },
        new() { ["botId"] = new[] { 2L } },
        new() { ["interactionType"] = new[] { "chat", "email" } },                                   // the hourly tier's one dimension
        new() { ["serviceLevelSeconds"] = 45 },
    ];

    [Fact]
    public async Task Every_slice_answers_the_same_json_with_and_without_rollups()
    {
        await using var rollups = new KoopidApp(db.ConnectionString, Clock, new Dictionary<string, string?> { ["Rollups:Enabled"] = "true" });
        await using var raw = new KoopidApp(db.ConnectionString, Clock, new Dictionary<string, string?> { ["Rollups:Enabled"] = "false" });
        var providers = new[] { (Id: PostgresFixture.NewProviderId(), Zone: "America/New_York"), (Id: PostgresFixture.NewProviderId(), Zone: "Asia/Kolkata") };
        var ingest = rollups.KoopidAdmin();
        foreach (var (id, zone) in providers)
        {
            var batches = Fixture(id, zone, seed: (int)id);
            await Ndjson.IngestAsync(ingest, batches[0]);
            await Ndjson.IngestAsync(ingest, batches[1]);
            // TopWords' word tier computed, then the corrections leave some of its days waiting (read raw until computed)
            await KoopidDashboard.Features.Ingest.MessageWords.CatchUpAsync(db.DataSource, id, CancellationToken.None);
            await Ndjson.IngestAsync(ingest, batches[2]);
        }

        var slices = EndpointInventoryTests.Definitions(rollups)
            .Where(d => d.Routes.Any(r => r.StartsWith("/Dashboard/", StringComparison.Ordinal)))
            .OrderBy(d => d.Routes[0], StringComparer.Ordinal)
            .ToList();
        Assert.True(slices.Count >= 17, $"only {slices.Count} dashboard endpoints found");

        // A ProviderAdmin of the provider where the slice allows one (some are ProviderAdmin-only), else a KoopidAdmin.
        HttpClient Client(KoopidApp app, EndpointDefinition slice, long providerId) =>
            slice.AllowedRoles?.Contains(KoopidDashboard.Infrastructure.Security.KoopidRoles.ProviderAdmin) == true ? app.ProviderAdmin(providerId) : app.KoopidAdmin();
        var compared = 0;
        var succeeded = 0;
        var mismatches = new List<string>();
        foreach (var slice in slices)
            foreach (var (providerId, _) in providers)
                foreach (var (range, index) in Ranges.Select((r, i) => (r, i)))
                    foreach (var filter in index is 0 or 2 or 8 ? Filters : Filters.Take(1))
                    {
                        var call = Call(slice, providerId, range, filter);
                        if (call is null)
                            continue;
                        var a = await SendAsync(Client(rollups, slice, providerId), call.Value);
                        var b = await SendAsync(Client(raw, slice, providerId), call.Value);
                        compared++;
                        succeeded += a.StartsWith('2') ? 1 : 0;
                        if (a != b)
                            mismatches.Add($"{call.Value.Method} {call.Value.Path} {call.Value.Body}\n  rollups: {Cut(a, b)}\n  raw:     {Cut(b, a)}");
                    }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {compared} calls differ ({string.Join(", ", mismatches.Select(m => m.Split(' ')[1]).Distinct())}):\n"
            + string.Join("\n", mismatches.Take(5)));
        Assert.True(compared > 300, $"only {compared} calls compared");
        Assert.True(succeeded > compared * 9 / 10, $"only {succeeded} of {compared} calls succeeded");
    }

    /// <summary>The body from a little before its first difference with <paramref name="other"/>, at most 1 500 characters.</summary>
    private static string Cut(string s, string other)
    {
        var at = 0;
        while (at < s.Length && at < other.Length && s[at] == other[at])
            at++;
        var from = Math.Max(0, at - 300);
        var cut = s[from..];
        return (from > 0 ? "…" : "") + (cut.Length > 1500 ? cut[..1500] + "…" : cut);
    }

    private static async Task<string> SendAsync(HttpClient client, (HttpMethod Method, string Path, string? Body) call)
    {
        using var request = new HttpRequestMessage(call.Method, call.Path);
        if (call.Body is not null)
            request.Content = new StringContent(call.Body, Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        // problem details carry a per-request traceId: the only part allowed to differ
        body = System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "\"traceId\":\"\"");
        return $"{(int)response.StatusCode} {body}";
    }

    /// <summary>
    /// One call of a slice with the parameters its request type has: providerId (route or body/query), start, end,
    /// interval, tz, the filters, <c>at</c> (= end), <c>for</c> (customer 1) and <c>viewtype</c>. Null when a filter does not apply, and
    /// for all but the first range when the slice takes no range.
    /// </summary>
    private static (HttpMethod Method, string Path, string? Body)? Call(EndpointDefinition slice, long providerId,
        (long Start, long End, string Interval, string Tz) range, Dictionary<string, object> filter)
    {
        var properties = slice.ReqDtoType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p => p);
        if (filter.Keys.Any(k => !properties.ContainsKey(k)))
            return null;
        var takesRange = properties.ContainsKey("start") || properties.ContainsKey("at");
        if (!takesRange && (range != Ranges[0] || filter.Count > 0))
            return null;

        var values = new Dictionary<string, object?>
        {
            ["providerId"] = providerId,
            ["start"] = range.Start,
            ["end"] = range.End,
            ["interval"] = range.Interval,
            ["tz"] = range.Tz,
            ["at"] = range.End,
            ["for"] = 1L,
            // RedactedMessagesWithPlot: each view over different ranges (the hourly view buckets by local hour of day)
            ["viewtype"] = PlotViews[Array.IndexOf(Ranges, range) % PlotViews.Length],
        };
        foreach (var (key, value) in filter)
            values[key] = value;
        var route = slice.Routes[0];
        var path = route.Replace("{providerId}", providerId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var used = values.Where(v => properties.ContainsKey(v.Key) && !(v.Key == "providerId" && route.Contains("{providerId}", StringComparison.Ordinal)))
            .ToDictionary(v => v.Key, v => v.Value);

        if (slice.Verbs.Contains("POST"))
            return (HttpMethod.Post, path, System.Text.Json.JsonSerializer.Serialize(used));
        var query = string.Join("&", used.SelectMany(v => v.Value is Array array
            ? array.Cast<object>().Select(x => $"{v.Key}={Uri.EscapeDataString(Convert.ToString(x, CultureInfo.InvariantCulture)!)}")
            : [$"{v.Key}={Uri.EscapeDataString(Convert.ToString(v.Value, CultureInfo.InvariantCulture)!)}"]));
        return (HttpMethod.Get, path + (query.Length > 0 ? "?" + query : ""), null);
    }
}
