using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Koopid.Bench;

public sealed record CaseResult(string Case, string Endpoint, string Shape, int N, double P50, double P95, double P99, double Mean, int Status, string? Error);

/// <summary>
/// Client-side latency of every dashboard endpoint for one tenant: each case is one request shape sent N times in a row
/// (one connection, no concurrency) after a warm-up of up to --warmup calls (default 200) or --warmup-seconds (default 5)
/// per target, not counted; the time is from sending to the last byte of the body.
/// Shapes: the last 30 local days by day (P1D), the last local day by 15 minutes (PT15M), the last 400 days by week (P1W);
/// endpoints without an interval take the same ranges; point-in-time endpoints run once per shape-less case.
/// A case stops early after --case-seconds per target (so slow raw-path queries still finish), and records how many samples it got.
/// With <c>--url2</c> a second service (the raw-row path) is measured in the same loop, alternating request by request.
/// </summary>
public static class LatencyRunner
{
    public static readonly string[] IntervalSlices =
    [
        "AgentAccessStats", "AgentQueueStats", "AgentSessionStats", "BotAccessStats", "CustomerEndpoint", "Intents", "InteractionType",
        "Interactions", "Messages", "Summary", "TopWords",
    ];

    public static async Task<int> RunAsync(Args a)
    {
        var url = a.Required("--url").TrimEnd('/');
        var provider = a.Long("--provider", 7001);
        var n = a.Int("--n", 50);
        var caseSeconds = a.Double("--case-seconds", 30);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(a.Str("--tz", "America/New_York"));
        var dataEnd = a.Date("--end", "2026-11-20");
        var filter = a.Get("--only");
        var warmup = a.Int("--warmup", 200);
        var warmupSeconds = a.Double("--warmup-seconds", 5);

        // The last full local day before the data's end, in the tenant's zone.
        var localEnd = TimeZoneInfo.ConvertTime(dataEnd, zone).Date;
        long Ms(DateTime local) => new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUnixTimeMilliseconds();
        long end = Ms(localEnd);
        var shapes = new (string Name, long Start, string Interval)[]
        {
            ("30d/P1D", Ms(localEnd.AddDays(-30)), "P1D"),
            ("1d/PT15M", Ms(localEnd.AddDays(-1)), "PT15M"),
            ("400d/P1W", end - 400L * 86_400_000, "P1W"), // exactly the 400-day limit (a DST change makes 400 local days longer)
        };

        var cases = new List<(string Endpoint, string Shape, Func<HttpRequestMessage> Request)>();
        foreach (var (shape, start, interval) in shapes)
        {
            foreach (var slice in IntervalSlices)
                cases.Add((slice, shape, () => Post($"/Dashboard/{slice}", $$"""{"providerId":{{provider}},"start":{{start}},"end":{{end}},"interval":"{{interval}}"}""")));
            cases.Add(("ConversationStats", shape, () => new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/{provider}/ConversationStats?start={start}&end={end}")));
            cases.Add(("RedactedMessages", shape, () => new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/{provider}/RedactedMessages?start={start}&end={end}&limit=100")));
            cases.Add(("RedactedMessagesWithPlot", shape, () => new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/{provider}/RedactedMessagesWithPlot?start={start}&end={end}")));
        }
        cases.Add(("ChatStats", "at end", () => new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/ChatStats?providerId={provider}&at={end}")));
        cases.Add(("UserActivity", "first page", () => new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/UserActivity?providerId={provider}&for=1")));
        cases.Add(("DBStats", "tenant", () => Post("/Dashboard/DBStats", $$"""{"providerId":{{provider}}}""")));

        // One target, or two (--url2: e.g. the same service with Rollups:Enabled=false) measured request by request in
        // alternation, so both see the same moment of a shared machine.
        var targets = new List<(string Label, HttpClient Client, string Out, List<CaseResult> Results)>
        {
            (a.Str("--label", ""), Client(url, a.Required("--token")), a.Required("--out"), []),
        };
        if (a.Get("--url2") is { } url2)
            targets.Add((a.Str("--label2", "2"), Client(url2.TrimEnd('/'), a.Required("--token")), a.Required("--out2"), []));

        foreach (var (endpoint, shape, request) in cases)
        {
            if (filter is not null && !endpoint.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
            var name = $"{endpoint} {shape}";
            var statuses = new int[targets.Count];
            for (var t = 0; t < targets.Count; t++)
            {
                var (status, body, _) = await SendAsync(targets[t].Client, request()); // warm-up, and the expected status
                statuses[t] = status;
                if (status is < 200 or > 299)
                {
                    targets[t].Results.Add(new CaseResult(name, endpoint, shape, 0, 0, 0, 0, 0, status, body.Length > 300 ? body[..300] : body));
                    Console.Error.WriteLine($"{targets[t].Label} {name}: {status} {body[..Math.Min(body.Length, 200)]}");
                }
            }
            var live = Enumerable.Range(0, targets.Count).Where(t => statuses[t] is >= 200 and <= 299).ToList();
            // Warm-up, not counted: up to --warmup calls per target, at most --warmup-seconds. .NET's tiered JIT with
            // dynamic PGO compiles a hot path up to three times (quick, instrumented, optimised), each step after 30 calls
            // and a background delay, and a pooled connection plans its first statements cold. 40 calls were not enough:
            // AgentQueueStats 30 d on a fresh service gave p50 11.6 ms after them, 4.8 ms in a second pass, and 5.6 ms
            // from the start with tiering off (DOTNET_TieredCompilation=0), so the steady state is what 200 calls measure.
            var warmWatch = Stopwatch.StartNew();
            for (var i = 0; live.Count > 0 && i < warmup && warmWatch.Elapsed.TotalSeconds < warmupSeconds * live.Count; i++)
                foreach (var t in live)
                    await SendAsync(targets[t].Client, request());
            var samples = targets.Select(_ => new List<double>(n)).ToArray();
            var caseWatch = Stopwatch.StartNew();
            for (var i = 0; live.Count > 0 && i < n && (i == 0 || caseWatch.Elapsed.TotalSeconds < caseSeconds * live.Count); i++)
                foreach (var t in live)
                {
                    var (s, _, ms) = await SendAsync(targets[t].Client, request());
                    if (s != statuses[t])
                    {
                        Console.Error.WriteLine($"{targets[t].Label} {name}: status {s} after {statuses[t]}; sample not counted");
                        continue;
                    }
                    samples[t].Add(ms);
                }
            foreach (var t in live.Where(t => samples[t].Count > 0))
            {
                samples[t].Sort();
                var result = new CaseResult(name, endpoint, shape, samples[t].Count, Percentile(samples[t], 50), Percentile(samples[t], 95), Percentile(samples[t], 99),
                    samples[t].Average(), statuses[t], null);
                targets[t].Results.Add(result);
                Console.Error.WriteLine($"{targets[t].Label} {name}: n={result.N} p50={result.P50:F1} p95={result.P95:F1} p99={result.P99:F1} ms");
            }
        }
        foreach (var target in targets)
        {
            await File.WriteAllTextAsync(target.Out, JsonSerializer.Serialize(new { label = target.Label, results = target.Results }, new JsonSerializerOptions { WriteIndented = true }));
            target.Client.Dispose();
        }
        return 0;
    }

    private static HttpClient Client(string url, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = TimeSpan.FromHours(1) })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromMinutes(5),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static async Task<(int Status, string Body, double Ms)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        var watch = Stopwatch.StartNew();
        HttpResponseMessage sent;
        try
        {
            sent = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            // The service is gone (crashed or killed): report it as status 0 and keep the results gathered so far.
            return (0, "unreachable: " + e.Message, watch.Elapsed.TotalMilliseconds);
        }
        using var response = sent;
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        request.Dispose();
        var ok = (int)response.StatusCode is >= 200 and <= 299;
        return ((int)response.StatusCode, ok ? "" : Encoding.UTF8.GetString(bytes), ms);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}
