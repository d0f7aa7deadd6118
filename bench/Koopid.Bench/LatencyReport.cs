using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Koopid.Bench;

/// <summary>One markdown table from the two latency runs (Rollups:Enabled=true and =false) of the same data, plus the targets.</summary>
public static class LatencyReport
{
    private sealed record LatencyRun(string Label, List<CaseResult> Results);

    public static int Run(Args a)
    {
        var on = Load(a.Required("--rollups"));
        var raw = Load(a.Required("--raw"));
        var rawByCase = raw.Results.ToDictionary(r => r.Case);
        var s = new StringBuilder();
        // Column names: the rollup path against the raw-row path by default; any two runs with --names A,B.
        var names = a.Str("--names", "rollups,raw").Split(',');
        string nameA = names[0], nameB = names[1];
        string F(double v) => v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);
        s.AppendLine($"## {a.Str("--title", "Latency")}").AppendLine();
        s.AppendLine("Client-side ms per request, sequential, one connection; p50 / p95 / p99 over n requests (cases stop early after their time cap).")
            .AppendLine().AppendLine($"| endpoint | shape | n | {nameA} p50 | p95 | p99 | {nameB} n | {nameB} p50 | p95 | p99 | {nameB} ÷ {nameA} (p50) |")
            .AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var ratios = new List<(string Case, double Ratio)>();
        foreach (var r in on.Results)
        {
            rawByCase.TryGetValue(r.Case, out var w);
            string Cells(CaseResult? x) => x is null ? "| – | – | – | –" : x.Error is not null ? $"| {x.Status} | – | – | –" : $"| {x.N} | {F(x.P50)} | {F(x.P95)} | {F(x.P99)}";
            var ratio = r.Error is null && w is { Error: null } && r.P50 > 0 ? w.P50 / r.P50 : (double?)null;
            if (ratio is { } q) ratios.Add((r.Case, q));
            s.AppendLine($"| {r.Endpoint} | {r.Shape} {Cells(r)} {Cells(w)} | {(ratio is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) + "×" : "–")} |");
        }

        var ok = on.Results.Where(r => r.Error is null).ToList();
        var daily = ok.Where(r => r.Shape == "30d/P1D" && LatencyRunner.IntervalSlices.Contains(r.Endpoint) && r.Endpoint != "TopWords").ToList();
        var worstDaily = daily.MaxBy(r => r.P95);
        var worstAny = ok.MaxBy(r => r.P95);
        var minRatio = ratios.MinBy(r => r.Ratio);
        if (a.Has("--no-targets")) { Console.WriteLine(s); if (a.Get("--out") is { } p0) File.WriteAllText(p0, s.ToString()); return 0; }
        s.AppendLine().AppendLine($"Targets ({(nameA == "rollups" ? "rollups on" : nameA)}):").AppendLine();
        if (worstDaily is not null)
            s.AppendLine($"- p95 ≤ 20 ms for 30-day daily stats: **{(worstDaily.P95 <= 20 ? "met" : "not met")}** — worst {worstDaily.Endpoint} {F(worstDaily.P95)} ms; "
                + $"{daily.Count(r => r.P95 <= 20)} of {daily.Count} slices within (over 20 ms: {(daily.All(r => r.P95 <= 20) ? "none" : string.Join(", ", daily.Where(r => r.P95 > 20).Select(r => $"{r.Endpoint} {F(r.P95)}")))}).");
        if (worstAny is not null)
            s.AppendLine($"- p95 ≤ 50 ms for any single call: **{(worstAny.P95 <= 50 ? "met" : "not met")}** — worst {worstAny.Case} {F(worstAny.P95)} ms; "
                + $"{ok.Count(r => r.P95 <= 50)} of {ok.Count} cases within.");
        // --latency-targets-only: two runs of the same path (e.g. the rollup path alone and alternated), no ratio target
        if (minRatio != default && !a.Has("--latency-targets-only"))
            s.AppendLine($"- rollups ≥ 20× faster than raw rows: **{(minRatio.Ratio >= 20 ? "met" : "not met")}** — smallest p50 ratio {minRatio.Ratio:0.0}× ({minRatio.Case}), "
                + $"median ratio {Median(ratios.Select(r => r.Ratio)):0.0}×, {ratios.Count(r => r.Ratio >= 20)} of {ratios.Count} cases ≥ 20×.");
        var failed = on.Results.Concat(raw.Results).Where(r => r.Error is not null).ToList();
        foreach (var f in failed)
            s.AppendLine($"- {f.Case}: answered {f.Status}: `{f.Error?.ReplaceLineEndings(" ")}`");

        var text = s.ToString();
        if (a.Get("--out") is { } path) File.WriteAllText(path, text);
        Console.WriteLine(text);
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToList();
        return v.Count == 0 ? 0 : v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }

    private static LatencyRun Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var results = doc.RootElement.GetProperty("results").Deserialize<List<CaseResult>>()!;
        return new LatencyRun(doc.RootElement.GetProperty("label").GetString()!, results);
    }
}
