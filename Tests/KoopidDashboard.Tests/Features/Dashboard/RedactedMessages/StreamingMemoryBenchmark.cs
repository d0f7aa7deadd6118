using System.Diagnostics;
using Dapper;
using KoopidDashboard.Tests.Support;
using Xunit.Abstractions;

namespace KoopidDashboard.Tests.Features.Dashboard.RedactedMessages;

/// <summary>
/// Evidence for "streams with constant memory": 200 000 messages streamed as NDJSON while the managed heap is sampled.
/// Runs only with KOOPID_BENCH=1; otherwise passes at once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StreamingMemoryBenchmark(PostgresFixture db, ITestOutputHelper output)
{
    [Fact]
    public async Task Ndjson_streaming_of_200k_rows_keeps_the_heap_flat()
    {
        if (Environment.GetEnvironmentVariable("KOOPID_BENCH") != "1")
            return;
        var p = PostgresFixture.NewProviderId();
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO providers (provider_id, name) VALUES (@p, 'bench')", new { p });
            await connection.ExecuteAsync("""
                INSERT INTO messages (provider_id, message_id, interaction_id, sent_at, sender_type, text, redacted_entities)
                SELECT @p, g, g / 10 + 1, timestamptz '2026-03-01 00:00Z' + g * interval '1 second', 'customer',
                       repeat('lorem ipsum dolor sit amet ', 8) || g, '{EMAIL}'
                FROM generate_series(1, 200000) g
                """, new { p });
        }
        await using var app = new KoopidApp(db.ConnectionString);
        var client = app.ProviderAdmin(p);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/Dashboard/{p}/RedactedMessages?start=1772323200000&end=1772668800000");
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long lines = 0, bytes = 0, peak = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            bytes += line.Length + 1;
            if (lines % 10_000 == 0)
                peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
        }
        output.WriteLine($"{lines} rows, {bytes / 1_000_000.0:0.0} MB of NDJSON in {watch.Elapsed.TotalSeconds:0.00} s; "
            + $"peak managed heap growth while reading (server and client in one process): {peak / 1_000_000.0:0.0} MB");
        Assert.Equal(200_000, lines);
    }
}
