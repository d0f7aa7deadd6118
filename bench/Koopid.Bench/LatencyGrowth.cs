using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Koopid.Bench;

/// <summary>
/// How cost grows with the data: the p50 (and p95) of every case at each database size, one column per size, for one
/// path (rollups on or raw rows). Input: <c>--files 1000000=a.json,5000000=b.json,…</c> from the latency runs.
/// </summary>
public static class LatencyGrowth
{
    public static int Run(Args a)
    {
        var sizes = a.Required("--files").Split(',').Select(x => x.Split('=')).Select(x => (Size: long.Parse(x[0], CultureInfo.InvariantCulture), Path: x[1])).ToList();
        var runs = sizes.Select(s => (s.Size, Results: JsonDocument.Parse(File.ReadAllText(s.Path)).RootElement.GetProperty("results").Deserialize<List<CaseResult>>()!
            .ToDictionary(r => r.Case))).ToList();
        string Size(long n) => n >= 1_000_000 ? $"{n / 1_000_000.0:0.#} M" : $"{n:N0}";
        string F(double v) => v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        var s = new StringBuilder();
        s.AppendLine($"## {a.Str("--title", "How latency grows with the data")}").AppendLine()
            .AppendLine("p50 / p95 ms per request at each total size (all tenants; the measured tenant holds a fifth); last column: p50 at the largest size ÷ p50 at the smallest.")
            .AppendLine()
            .AppendLine("| endpoint | shape | " + string.Join(" | ", runs.Select(r => Size(r.Size) + " messages")) + " | growth |")
            .AppendLine("|---|---|" + string.Concat(runs.Select(_ => "--:|")) + "--:|");
        foreach (var first in runs[0].Results.Values)
        {
            var cells = runs.Select(r => r.Results.TryGetValue(first.Case, out var x) && x.Error is null ? x : null).ToList();
            var growth = cells[0] is { } lo && cells[^1] is { } hi && lo.P50 > 0 ? $"{hi.P50 / lo.P50:0.0}×" : "–";
            s.AppendLine($"| {first.Endpoint} | {first.Shape} | " + string.Join(" | ", cells.Select(c => c is null ? "–" : $"{F(c.P50)} / {F(c.P95)}")) + $" | {growth} |");
        }
        var text = s.ToString();
        if (a.Get("--out") is { } path) File.WriteAllText(path, text);
        Console.WriteLine(text);
        return 0;
    }
}
