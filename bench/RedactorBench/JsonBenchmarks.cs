using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Time;
using Interactions = KoopidDashboard.Features.Dashboard.Interactions;

namespace RedactorBench;

/// <summary>
/// Writing a POST /Dashboard/Interactions answer to a pipe, as the service does: reflection (before issue 6's context)
/// against the source-generated context. P1D = the wrk body (30 local days by day, 30 buckets, about 5 kB);
/// PT15M = a big answer (30 days by 15 minutes, 2 880 buckets, about 480 kB).
/// Run: dotnet run -c Release -- --filter '*JsonBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class JsonBenchmarks
{
    private readonly JsonSerializerOptions reflection = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    private readonly JsonSerializerOptions generated = new(JsonSerializerDefaults.Web);
    private readonly PipeWriter sink = PipeWriter.Create(Stream.Null);
    private object response = null!;

    [Params("P1D", "PT15M")]
    public string Interval { get; set; } = "P1D";

    [GlobalSetup]
    public void Setup()
    {
        KoopidJson.Configure(generated);
        var plan = BucketPlan.Create(new DateTime(2026, 10, 20, 4, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 19, 5, 0, 0, DateTimeKind.Utc),
            BucketInterval.Parse(Interval)!, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var random = new Random(7);
        response = new Interactions.Response(7001, plan)
        {
            Buckets = plan.Buckets.Select(b => new Interactions.Bucket(b, new Interactions.Metrics
            {
                Started = random.Next(200), Answered = random.Next(150), BotOnly = random.Next(50), Abandoned = random.Next(10),
                WaitSecondsAvg = random.NextDouble() * 60, HandleSecondsAvg = random.Next(4) == 0 ? null : random.NextDouble() * 600,
                DurationSecondsAvg = random.NextDouble() * 900,
            })).ToList(),
            Totals = new Interactions.Metrics { Started = 123456, Answered = 100000, WaitSecondsAvg = 12.5 },
        };
        var before = JsonSerializer.Serialize(response, reflection);
        if (before != JsonSerializer.Serialize(response, generated.GetTypeInfo(response.GetType())))
            throw new InvalidOperationException("generated JSON differs from reflection JSON");
        Console.WriteLine($"// response: {plan.Buckets.Count} buckets, {before.Length} bytes");
    }

    [Benchmark(Baseline = true, Description = "reflection, written as object (before)")]
    public Task Reflection() => JsonSerializer.SerializeAsync<object>(sink, response, reflection);

    [Benchmark(Description = "generated metadata, written as object (FastEndpoints' default writer)")]
    public Task GeneratedAsObject() => JsonSerializer.SerializeAsync<object>(sink, response, generated);

    [Benchmark(Description = "generated, typed by runtime type (after: KoopidJson.ResponseWriter)")]
    public Task GeneratedTyped() => JsonSerializer.SerializeAsync(sink, response, generated.GetTypeInfo(response.GetType()));
}
