using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Koopid.Bench;

/// <summary>
/// Messages per second through <c>POST /Ingest/Events</c>: a fresh tenant (so every row is new, nothing "unchanged"), its
/// master data posted first and not timed, then 30 days of its traffic (interactions, messages, bot sessions; redaction as
/// configured, on by default) in batches of <c>--batch</c> lines, with 1 and 2 clients posting at once.
/// </summary>
public static class IngestHttp
{
    public static async Task<int> RunAsync(Args a)
    {
        var url = a.Required("--url").TrimEnd('/');
        var messages = a.Long("--messages", 300_000);
        var batch = a.Int("--batch", 10_000);
        var providerBase = a.Long("--provider-base", 800_000);
        var s = new StringBuilder();
        s.AppendLine("## Ingest over HTTP (POST /Ingest/Events)").AppendLine()
            .AppendLine($"A fresh tenant per run, 30 days of its traffic ({messages:N0} messages plus their interactions and bot sessions), {batch:N0}-line NDJSON batches, redaction on; master data posted first, not timed.")
            .AppendLine().AppendLine("| clients | lines | messages | seconds | messages/s | lines/s | batch p50 ms | batch max ms |").AppendLine("|--:|--:|--:|--:|--:|--:|--:|--:|");
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", a.Required("--token"));
        double best = 0;
        // Warm-up (not reported): a tenant of its own, so JIT and connection pools are ready before the timed runs.
        foreach (var concurrency in new[] { 0 }.Concat(a.Str("--concurrency", "1,2").Split(',').Select(int.Parse)))
        {
            var provider = providerBase + concurrency;
            var buffer = new MemoryStream();
            var counts = Generator.Write(new Generator.Options(0, 1, concurrency == 0 ? Math.Min(messages, 50_000) : messages, 30, a.Date("--end", "2026-11-20"), provider - 1, 1, 7), buffer);
            var lines = Encoding.UTF8.GetString(buffer.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            static bool Traffic(string l) => l.StartsWith("{\"type\":\"interaction\"", StringComparison.Ordinal)
                || l.StartsWith("{\"type\":\"message\"", StringComparison.Ordinal) || l.StartsWith("{\"type\":\"botSession\"", StringComparison.Ordinal);
            var master = lines.Where(l => !Traffic(l)).ToList();
            var traffic = lines.Where(Traffic).ToList();
            foreach (var chunk in master.Chunk(batch))
                await PostAsync(client, chunk);

            var batches = traffic.Chunk(batch).ToList();
            var times = new List<double>();
            var next = -1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Count)
                {
                    var ms = await PostAsync(client, batches[i]);
                    lock (times) times.Add(ms);
                }
            }));
            var seconds = watch.Elapsed.TotalSeconds;
            if (concurrency == 0) continue;
            times.Sort();
            var rate = counts.Messages / seconds;
            best = Math.Max(best, rate);
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {concurrency} | {traffic.Count:N0} | {counts.Messages:N0} | {seconds:F1} | {rate:N0} | {traffic.Count / seconds:N0} | {LatencyRunner.Percentile(times, 50):F0} | {times[^1]:F0} |"));
            Console.Error.WriteLine($"ingest-http clients={concurrency}: {rate:F0} messages/s");
        }
        s.AppendLine().AppendLine($"- ≥ 30 000 messages/s over HTTP: **{(best >= 30_000 ? "met" : "not met")}** — best {best:N0} messages/s.");
        Console.WriteLine(s);
        return 0;
    }

    private static async Task<double> PostAsync(HttpClient client, string[] lines)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync("/Ingest/Events", new StringContent(string.Join('\n', lines), Encoding.UTF8, "application/x-ndjson"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || body.Contains("\"rejected\":[{", StringComparison.Ordinal))
            throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {body[..Math.Min(400, body.Length)]}");
        return watch.Elapsed.TotalMilliseconds;
    }
}
