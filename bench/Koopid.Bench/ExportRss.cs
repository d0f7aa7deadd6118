using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;

namespace Koopid.Bench;

/// <summary>
/// The service's resident memory while it streams a large export: GET /Dashboard/{provider}/RedactedMessages with
/// Accept: application/x-ndjson, then text/csv, over the most recent range holding <c>--messages</c> messages of the tenant
/// (or its whole 400 days when it has fewer). VmRSS of the service process is read from /proc/PID/status every 10 ms; the
/// growth is the peak during the export minus the value just before it (after a small warm-up export).
/// </summary>
public static class ExportRss
{
    public static async Task<int> RunAsync(Args a)
    {
        var url = a.Required("--url").TrimEnd('/');
        var pid = a.Int("--pid", 0);
        var provider = a.Long("--provider", 7001);
        var wanted = a.Long("--messages", 1_000_000);
        var end = a.Date("--end", "2026-11-20").ToUnixTimeMilliseconds();
        long start;
        await using (var db = NpgsqlDataSource.Create(a.Required("--connection")))
        await using (var command = db.CreateCommand(
            "SELECT (extract(epoch FROM sent_at) * 1000)::bigint FROM messages WHERE provider_id = $1 AND sent_at < to_timestamp($2 / 1000.0) ORDER BY sent_at DESC OFFSET $3 - 1 LIMIT 1"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = provider });
            command.Parameters.Add(new NpgsqlParameter { Value = end });
            command.Parameters.Add(new NpgsqlParameter { Value = wanted });
            start = await command.ExecuteScalarAsync() is long s ? s : end - 400L * 86_400_000;
        }
        start = Math.Max(start, end - 400L * 86_400_000);

        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", a.Required("--token"));
        var text = new StringBuilder();
        text.AppendLine("## Export memory (GET /Dashboard/{providerId}/RedactedMessages, streamed)").AppendLine()
            .AppendLine($"Tenant {provider}, range {DateTimeOffset.FromUnixTimeMilliseconds(start):yyyy-MM-dd HH:mm} – {DateTimeOffset.FromUnixTimeMilliseconds(end):yyyy-MM-dd} UTC; "
                + "service VmRSS sampled every 10 ms from /proc/PID/status.").AppendLine()
            .AppendLine("| format | rows | MB sent | seconds | rows/s | RSS before MB | RSS peak MB | growth MB |").AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        double worst = 0;
        foreach (var accept in new[] { "application/x-ndjson", "text/csv" })
        {
            await ExportAsync(client, provider, end - 86_400_000, end, accept, pid, null); // warm-up: JIT, pools
            GC.Collect();
            await Task.Delay(500);
            var before = Rss(pid);
            var (rows, bytes, seconds, peak) = await ExportAsync(client, provider, start, end, accept, pid, before);
            worst = Math.Max(worst, peak - before);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {accept} | {rows:N0} | {bytes / 1e6:F0} | {seconds:F1} | {rows / seconds:N0} | {before / 1024.0:F0} | {peak / 1024.0:F0} | {(peak - before) / 1024.0:F1} |"));
        }
        text.AppendLine().AppendLine($"- RSS growth < 50 MB while exporting: **{(worst < 50 * 1024 ? "met" : "not met")}** — largest growth {worst / 1024.0:F1} MB.");
        Console.WriteLine(text);
        return 0;
    }

    private static async Task<(long Rows, long Bytes, double Seconds, long PeakKb)> ExportAsync(HttpClient client, long provider, long start, long end, string accept, int pid, long? before)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/{provider}/RedactedMessages?start={start}&end={end}");
        request.Headers.Accept.ParseAdd(accept);
        long peak = before ?? 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss(pid));
                await Task.Delay(10);
            }
        });
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        long rows = 0, bytes = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            bytes += read;
            rows += buffer.AsSpan(0, read).Count((byte)'\n');
        }
        var seconds = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        if (accept == "text/csv") rows--; // header line
        return (rows, bytes, seconds, peak);
    }

    /// <summary>VmRSS in kB.</summary>
    private static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return 0;
    }
}
