using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

// Soak client: an open-loop load at a steady rate (requests start on schedule whether or not earlier ones have
// finished, so a slow server shows up as latency, not as a lower rate), a mix of dashboard reads and ingest
// batches, per-minute p50/p99 and errors, and the server's RSS sampled from /proc/<pid>/status.
// Only ever talks to the loopback address it is given.
var options = Args.Parse(args);
var baseUri = new Uri(options["url"]);
if (!System.Net.IPAddress.TryParse(baseUri.Host, out var ip) || !System.Net.IPAddress.IsLoopback(ip))
    throw new ArgumentException("The soak only targets a loopback address such as http://127.0.0.1:5391.");
var minutes = int.Parse(options.GetValueOrDefault("minutes", "10"), CultureInfo.InvariantCulture);
var rate = int.Parse(options.GetValueOrDefault("rate", "50"), CultureInfo.InvariantCulture);
var pid = int.Parse(options["pid"], CultureInfo.InvariantCulture);
var ingestShare = double.Parse(options.GetValueOrDefault("ingest-share", "0.2"), CultureInfo.InvariantCulture);
long[] providers = [1001, 1002, 1003, 1004];

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = baseUri,
    Timeout = TimeSpan.FromSeconds(30),
};
var adminToken = options["admin-token"];
var ingestToken = options["ingest-token"];

string[] posts = ["Interactions", "AgentQueueStats", "AgentSessionStats", "AgentAccessStats", "BotAccessStats", "CustomerEndpoint",
    "Intents", "InteractionType", "Messages", "Summary", "DBStats"];
var random = new Random(20260308);
var now = DateTimeOffset.UtcNow;
var todayMidnight = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).ToUnixTimeMilliseconds();
long nextId = 9_000_000_000 + now.ToUnixTimeSeconds() % 1_000_000 * 1000;

var samples = new ConcurrentBag<Sample>();
var errors = new ConcurrentQueue<string>();
var rss = new ConcurrentQueue<(double Minute, long Kb)>();
var clock = Stopwatch.StartNew();
var duration = TimeSpan.FromMinutes(minutes);
var inflight = new List<Task>();

long? ReadRssKb()
{
    var path = $"/proc/{pid}/status";
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"soak: {path} is missing (server gone?)");
        return null;
    }
    var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}

var rssLoop = Task.Run(async () =>
{
    while (clock.Elapsed < duration)
    {
        if (ReadRssKb() is { } kb)
            rss.Enqueue((clock.Elapsed.TotalMinutes, kb));
        await Task.Delay(5000);
    }
});

HttpRequestMessage NextRequest(out string kind)
{
    lock (random)
    {
        if (random.NextDouble() < ingestShare)
        {
            kind = "ingest";
            var batch = new StringBuilder();
            var provider = 1001;
            for (var i = 0; i < 10; i++)
            {
                var id = Interlocked.Increment(ref nextId);
                var started = DateTimeOffset.UtcNow.AddMinutes(-random.Next(1, 600));
                batch.Append(CultureInfo.InvariantCulture, $$"""{"type":"interaction","providerId":{{provider}},"interactionId":{{id}},"channel":"webchat","interactionType":"chat","startedAt":"{{started:O}}","endedAt":"{{started.AddMinutes(4):O}}","intent":"billing"}""").Append('\n');
                batch.Append(CultureInfo.InvariantCulture, $$"""{"type":"message","providerId":{{provider}},"interactionId":{{id}},"messageId":{{id}},"sentAt":"{{started.AddSeconds(5):O}}","senderType":"customer","text":"hello, my bill looks wrong this month"}""").Append('\n');
            }
            var ingest = new HttpRequestMessage(HttpMethod.Post, "/Ingest/Events") { Content = new StringContent(batch.ToString(), Encoding.UTF8, "application/x-ndjson") };
            ingest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ingestToken);
            return ingest;
        }
        var providerId = providers[random.Next(providers.Length)];
        HttpRequestMessage read;
        if (random.Next(12) == 0)
        {
            kind = "ChatStats";
            read = new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/ChatStats?providerId={providerId}");
        }
        else
        {
            kind = posts[random.Next(posts.Length)];
            // Two dashboard shapes: the last 7 days by day, and yesterday by hour.
            var body = random.Next(2) == 0
                ? $$"""{"start":{{todayMidnight - 7 * 86_400_000L}},"end":{{todayMidnight}},"interval":"P1D"}"""
                : $$"""{"start":{{todayMidnight - 86_400_000L}},"end":{{todayMidnight}},"interval":"PT1H"}""";
            read = new HttpRequestMessage(HttpMethod.Post, $"/Dashboard/{kind}?providerId={providerId}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        }
        read.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        return read;
    }
}

async Task FireAsync(double scheduledMinute)
{
    var request = NextRequest(out var kind);
    var started = Stopwatch.GetTimestamp();
    try
    {
        using var response = await http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        samples.Add(new Sample(scheduledMinute, kind, ms, response.IsSuccessStatusCode));
        if (!response.IsSuccessStatusCode)
            errors.Enqueue($"{kind}: {(int)response.StatusCode}");
    }
    catch (Exception e)
    {
        samples.Add(new Sample(scheduledMinute, kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds, false));
        errors.Enqueue($"{kind}: {e.GetType().Name}: {e.Message}");
    }
    finally
    {
        request.Dispose();
    }
}

Console.WriteLine($"soak: {rate} req/s for {minutes} min against {baseUri} (server pid {pid}), ingest share {ingestShare:P0}");
var startRss = ReadRssKb() ?? 0;
var interval = TimeSpan.FromSeconds(1.0 / rate);
for (long n = 0; ; n++)
{
    var due = interval * n;
    if (due >= duration)
        break;
    var wait = due - clock.Elapsed;
    if (wait > TimeSpan.Zero)
        await Task.Delay(wait);
    inflight.Add(FireAsync(due.TotalMinutes));
    if (inflight.Count > 5000)
        inflight.RemoveAll(t => t.IsCompleted);
}
await Task.WhenAll(inflight);
await rssLoop;
var endRss = ReadRssKb() ?? 0;

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

Console.WriteLine();
Console.WriteLine("| minute | requests | errors | p50 ms | p99 ms | max ms | RSS MiB (end of minute) |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
var rows = samples.GroupBy(s => (int)s.Minute).OrderBy(g => g.Key).ToList();
var p99s = new List<double>();
foreach (var minute in rows)
{
    var ms = minute.Select(s => s.Ms).Order().ToList();
    var rssAt = rss.Where(r => r.Minute < minute.Key + 1).Select(r => r.Kb).DefaultIfEmpty(0).Last();
    p99s.Add(Percentile(ms, 0.99));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {minute.Key + 1} | {ms.Count} | {minute.Count(s => !s.Ok)} | {Percentile(ms, 0.5):F1} | {Percentile(ms, 0.99):F1} | {ms[^1]:F1} | {rssAt / 1024.0:F0} |"));
}
var all = samples.Select(s => s.Ms).Order().ToList();
Console.WriteLine();
Console.WriteLine("| kind | requests | p50 ms | p99 ms |");
Console.WriteLine("|---|---:|---:|---:|");
foreach (var kind in samples.GroupBy(s => s.Kind).OrderBy(g => g.Key))
{
    var ms = kind.Select(s => s.Ms).Order().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {kind.Key} | {ms.Count} | {Percentile(ms, 0.5):F1} | {Percentile(ms, 0.99):F1} |"));
}
Console.WriteLine();
var peakRss = rss.Select(r => r.Kb).DefaultIfEmpty(0).Max();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"total: {all.Count} requests in {clock.Elapsed.TotalMinutes:F1} min ({all.Count / clock.Elapsed.TotalSeconds:F1} req/s), errors {samples.Count(s => !s.Ok)}, p50 {Percentile(all, 0.5):F1} ms, p99 {Percentile(all, 0.99):F1} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"p99 drift: first minute {p99s.FirstOrDefault():F1} ms → last minute {p99s.LastOrDefault():F1} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"server RSS: start {startRss / 1024.0:F0} MiB, peak {peakRss / 1024.0:F0} MiB, end {endRss / 1024.0:F0} MiB (growth {(endRss - startRss) / 1024.0:+0;-0} MiB)"));
foreach (var e in errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(10))
    Console.WriteLine($"error x{e.Count()}: {e.Key}");
return samples.Any(s => !s.Ok) ? 1 : 0;

internal sealed record Sample(double Minute, string Kind, double Ms, bool Ok);

internal static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
            map[args[i].TrimStart('-')] = args[i + 1];
        return map;
    }
}
