using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Koopid.Bench;
using KoopidDashboard.Infrastructure.Redaction;

namespace Koopid.RedactorBench;

/// <summary>
/// The redactor's cost per message, on the bench data's own texts: a plain support sentence, one with PII of each kind, and
/// the mix the generator writes (about one customer message in five carries PII). Each benchmark redacts a batch of
/// 1 000 messages (OperationsPerInvoke), so the reported mean is per message.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RedactorBenchmarks
{
    private const int Batch = 1000;
    private readonly Redactor redactor = new();
    private string[] mix = [], plain = [], pii = [];

    [GlobalSetup]
    public void Setup()
    {
        var pool = new TextPool(20261125);
        var r = new Random(1);
        mix = Enumerable.Range(0, Batch).Select(i => i % 2 == 0 ? pool.Customer(r) : pool.Staff(r)).ToArray();
        plain = Enumerable.Range(0, Batch).Select(_ => pool.Staff(r)).ToArray();
        pii =
        [
            .. Enumerable.Range(0, Batch / 5).SelectMany(i => new[]
            {
                $"You can email me at olivia.smith{i}@example.com thanks",
                $"Call me back on +1 (212) 555-{1000 + i} please",
                "My card is 4111 1111 1111 1111, charge it",
                "Please refund to DE89 3704 0044 0532 0130 00 today",
                $"My SSN is 123-45-{6000 + i} and my IP is 10.0.0.{i % 250 + 1}",
            }),
        ];
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "bench data mix (customer + staff)")]
    public int Mix() => Run(mix);

    [Benchmark(OperationsPerInvoke = Batch, Description = "no PII (staff sentences)")]
    public int Plain() => Run(plain);

    [Benchmark(OperationsPerInvoke = Batch, Description = "one PII entity each")]
    public int Pii() => Run(pii);

    private int Run(string[] texts)
    {
        var n = 0;
        foreach (var t in texts)
            n += redactor.Redact(t).Text.Length;
        return n;
    }

    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(RedactorBenchmarks).Assembly).Run(args);
}
