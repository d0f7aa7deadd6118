using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Dapper;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit.Abstractions;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// SPEC §6/§8 under load: the database goes away while dashboard reads and ingest batches run concurrently, then
/// comes back. Only 2xx or 503 (+ Retry-After, problem+json) meanwhile; every acknowledged (200) ingest batch is fully
/// stored and every refused (503) one is absent or complete, never partial; full service within seconds of the return.
/// A container of its own on a fixed host port (as DatabaseOutageTests), so restarting keeps the address.
/// Scenarios: a clean stop (docker stop) and a crash (PostgreSQL immediate shutdown: connections cut, no goodbye).
/// </summary>
[Collection(OwnContainersCollection.Name)]
public sealed class OutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int BatchSize = 10;
    private readonly PostgreSqlContainer container =
        TestPostgres.Builder()
            .WithPortBinding(TestPostgres.FreePort(), 5432)
            // Durability is under test here: Testcontainers' speed defaults (fsync, synchronous_commit off) would let a killed
            // server lose commits it acknowledged; production runs with PostgreSQL's defaults.
            .WithCommand("-c", "fsync=on", "-c", "synchronous_commit=on", "-c", "full_page_writes=on")
            .Build();

    public Task InitializeAsync() => container.StartAsync();

    public Task DisposeAsync() => container.DisposeAsync().AsTask();

    private sealed record Result(string Kind, double StartedAt, int Status, bool RetryAfter, bool Problem, long? Batch, string Error);

    [Theory]
    [InlineData("stop")]
    [InlineData("crash")]
    public async Task Reads_and_ingest_during_an_outage_get_2xx_or_503_lose_no_acknowledged_batch_and_recover(string outage)
    {
        var connectionString = container.GetConnectionString() + ";Timeout=3";
        await using var app = new KoopidApp(connectionString, settings: new Dictionary<string, string?>
        {
            ["Protection:RequestsPerMinute"] = "1000000",
            // A query in flight when the server dies can wait on a dead socket: the request timeout bounds it (503 + Retry-After).
            ["Protection:RequestTimeout"] = "00:00:05",
        });
        EndpointCatalog.Capture(app);
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), TwoTenantWorld.Tenant(p, "outage")); // so every read has its data (UserActivity's customer)
        // Every provider-scoped read a ProviderAdmin may call, from the endpoint list.
        var reads = EndpointCatalog.All.Where(e => e.ProviderScoped && e.Allows(KoopidRoles.ProviderAdmin) && !e.IsIngest).ToList();
        var reader = app.ProviderAdmin(p);
        var writer = app.ClientAs(KoopidRoles.Ingest, p);
        var clock = Stopwatch.StartNew();
        var results = new ConcurrentQueue<Result>();
        using var stop = new CancellationTokenSource();
        long nextBatch = 0;

        async Task Record(string kind, long? batch, Func<Task<HttpResponseMessage>> send)
        {
            var started = clock.Elapsed.TotalSeconds;
            try
            {
                using var response = await send();
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                results.Enqueue(new Result(kind, started, (int)response.StatusCode, response.Headers.RetryAfter is not null, problem, batch,
                    response.IsSuccessStatusCode && kind != "ingest" ? "" : await response.Content.ReadAsStringAsync()));
            }
            catch (Exception e)
            {
                results.Enqueue(new Result(kind, started, -1, false, false, batch, e.GetType().Name + ": " + e.Message));
            }
        }

        var readLoops = Enumerable.Range(0, 3).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; !stop.IsCancellationRequested; i++)
            {
                var e = reads[i % reads.Count];
                await Record(e.Key, null, () => reader.SendAsync(e.Build(e.Path(p.ToString(System.Globalization.CultureInfo.InvariantCulture)), e.ValidFields(TwoTenantWorld.DayStart))));
                await Task.Delay(20);
            }
        })).ToList();
        var ingestLoops = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var batch = Interlocked.Increment(ref nextBatch);
                var lines = Enumerable.Range(1, BatchSize).Select(i => (object)new
                {
                    type = "interaction", providerId = p, interactionId = batch * 100 + i, channel = "sms", interactionType = "sms",
                    startedAt = "2026-03-08T10:00:00Z",
                }).ToArray();
                await Record("ingest", batch, () => writer.PostAsync("/Ingest/Events", new StringContent(Ndjson.Lines(lines), Encoding.UTF8, "application/x-ndjson")));
                await Task.Delay(20);
            }
        })).ToList();

        await Task.Delay(2000);
        var downAt = clock.Elapsed.TotalSeconds;
        if (outage == "crash")
        {
            var exec = await container.ExecAsync(["sh", "-c", "su postgres -s /bin/sh -c \"$(command -v pg_ctl) -D $PGDATA stop -m immediate\""]);
            output.WriteLine($"pg_ctl stop -m immediate: exit {exec.ExitCode} {exec.Stdout} {exec.Stderr}");
            await container.GetExitCodeAsync().WaitAsync(TimeSpan.FromSeconds(20)); // the server is gone, the container exits
            await container.StopAsync(); // keeps Testcontainers' view of the container in step
        }
        else
        {
            await container.StopAsync();
        }
        await Task.Delay(4000);
        await container.StartAsync();
        var backAt = clock.Elapsed.TotalSeconds;

        // Keep the load on until every kind of request has succeeded again, then 3 s more.
        double? recoveredAt = null;
        while (clock.Elapsed.TotalSeconds - backAt < 30)
        {
            var after = results.Where(r => r.StartedAt >= backAt).ToList();
            if (recoveredAt is null && after.Any(r => r.Kind == "ingest" && r.Status == 200) && after.Any(r => r.Kind != "ingest" && r.Status is >= 200 and < 300))
                recoveredAt = clock.Elapsed.TotalSeconds;
            if (recoveredAt is { } at && clock.Elapsed.TotalSeconds - at > 3)
                break;
            await Task.Delay(200);
        }
        await stop.CancelAsync();
        await Task.WhenAll([.. readLoops, .. ingestLoops]);
        using var live = await reader.GetAsync("/health/live");

        var all = results.ToList();
        output.WriteLine($"{outage}: down at {downAt:F1} s, back at {backAt:F1} s, recovered at {recoveredAt:F1} s; {all.Count} requests: "
            + string.Join(", ", all.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()}× {g.Key}")));
        var during = all.Count(r => r.Status == 503);

        // Only 2xx or 503 (+ Retry-After, problem+json), no client-side failure, the host still up.
        var wrong = all.Where(r => !(r.Status is >= 200 and < 300 || (r.Status == 503 && r.RetryAfter && r.Problem))).ToList();
        Assert.True(wrong.Count == 0, string.Join('\n', wrong.Take(10).Select(r => $"{r.Kind} at {r.StartedAt:F1} s: {r.Status} {r.Error}")));
        Assert.True(during > 0, "the outage was not noticed: no 503 at all");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        // Full service within seconds of the return, and everything started after that succeeds.
        Assert.NotNull(recoveredAt);
        var slow = all.Where(r => r.StartedAt > backAt && r.Status is not (>= 200 and < 300)).Select(r => $"{r.Kind} at {r.StartedAt:F1} s: {r.Status} {r.Error}").Take(5);
        Assert.True(recoveredAt!.Value - backAt <= 10, $"recovered {recoveredAt - backAt:F1} s after the database returned; after it: {string.Join('\n', slow)}");
        var late = all.Where(r => r.StartedAt > recoveredAt + 1 && r.Status is not (>= 200 and < 300)).ToList();
        Assert.True(late.Count == 0, "failures after recovery: " + string.Join('\n', late.Take(5).Select(r => $"{r.Kind} {r.Status} {r.Error}")));

        // No lost acknowledged batch, no partial batch.
        await using var db = NpgsqlDataSource.Create(container.GetConnectionString());
        await using var connection = await db.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<(long Batch, long Rows)>(
            "SELECT interaction_id / 100 AS batch, count(*) AS rows FROM interactions WHERE provider_id = @p GROUP BY 1", new { p }))
            .ToDictionary(r => r.Batch, r => r.Rows);
        var batches = all.Where(r => r.Kind == "ingest").ToList();
        foreach (var r in batches)
        {
            var rows = stored.GetValueOrDefault(r.Batch!.Value);
            if (r.Status == 200)
                Assert.True(rows == BatchSize, $"acknowledged batch {r.Batch} (sent at {r.StartedAt:F1} s) has {rows} of {BatchSize} rows; the answer was {r.Error}");
            else
                Assert.True(rows is 0 or BatchSize, $"refused batch {r.Batch} is partial: {rows} of {BatchSize} rows");
        }
        output.WriteLine($"ingest: {batches.Count(r => r.Status == 200)} acknowledged (all complete), {batches.Count(r => r.Status == 503)} refused "
            + $"({batches.Count(r => r.Status == 503 && stored.GetValueOrDefault(r.Batch!.Value) == BatchSize)} of them stored anyway, complete)");
    }
}
