using KoopidDashboard.Infrastructure.Http;
using FastEndpoints;
using FluentValidation.Results;
using KoopidDashboard.Infrastructure.Time;
using Cells = System.Collections.Generic.Dictionary<string, object?>;

namespace KoopidDashboard.Features.Dashboard.Analytics.Run;

/// <summary>Turns the GROUPING SETS rows of <see cref="Data"/> into each analysis' response (see docs/metrics/Analytics.md).</summary>
public static class Shapes
{
    /// <summary>Dense bucket × group output is capped so one call stays a reasonable size.</summary>
    public const int MaxCells = 50_000;

    private readonly record struct GroupKey(object? K1, object? K2);

    public static Response Build(long providerId, BucketPlan plan, Resolved q, IReadOnlyList<string> keys, IReadOnlyList<Data.Row> rows,
        IReadOnlyList<Data.HistogramBin>? histogram)
    {
        var metrics = q.Metrics;
        var bucketRows = rows.Where(r => r.Level == Data.Level.Bucket).ToDictionary(r => r.Bucket!.Value);
        var totals = MetricCells(metrics, rows.FirstOrDefault(r => r.Level == Data.Level.Total)?.Values);
        var groupRows = rows.Where(r => r.Level == Data.Level.Keys).ToList();
        var response = new Response(providerId, plan)
        {
            AnalysisType = q.Analysis.Name,
            Metrics = metrics.Select(m => m.Name).ToList(),
            GroupBy = keys,
            Totals = totals,
            Buckets = plan.Buckets.Select((b, i) => WithBounds(b, MetricCells(metrics, bucketRows.GetValueOrDefault(i + 1)?.Values))).ToList(),
        };

        switch (q.Analysis.Shape)
        {
            case AnalysisShape.Aggregate:
            {
                var groups = groupRows.Select(Key).OrderBy(g => g.K1, KeyOrder.Instance).ThenBy(g => g.K2, KeyOrder.Instance).ToList();
                return response with { Rows = BucketsByGroup(plan, metrics, keys, rows, groups) };
            }
            case AnalysisShape.Breakdown:
            {
                // busiest first (by the first metric, started); interactions without the key come last
                var ordered = groupRows.OrderBy(r => r.Key1 is null).ThenByDescending(r => r.Values[0] ?? 0).ThenBy(r => r.Key1, KeyOrder.Instance).ToList();
                var all = totals.GetValueOrDefault(metrics[0].Name) is long n ? n : 0;
                var perKey = ordered.Select(r =>
                {
                    var cells = new Cells { [keys[0]] = r.Key1 };
                    foreach (var (name, value) in MetricCells(metrics, r.Values))
                        cells[name] = value;
                    cells["share"] = all == 0 ? null : (r.Values[0] ?? 0) / all;
                    return (IReadOnlyDictionary<string, object?>)cells;
                }).ToList();
                return response with
                {
                    Rows = perKey,
                    Buckets = BucketsByGroup(plan, metrics, keys, rows, ordered.Select(Key).ToList()),
                };
            }
            case AnalysisShape.Heatmap:
            {
                var cellsByKey = groupRows.ToDictionary(Key);
                var heat = new List<IReadOnlyDictionary<string, object?>>(7 * 24);
                for (var weekday = 1; weekday <= 7; weekday++)
                    for (var hour = 0; hour < 24; hour++)
                    {
                        var cells = new Cells { [Catalogue.LocalWeekday] = weekday, [Catalogue.LocalHour] = hour };
                        foreach (var (name, value) in MetricCells(metrics, cellsByKey.GetValueOrDefault(new GroupKey(weekday, hour))?.Values))
                            cells[name] = value;
                        heat.Add(cells);
                    }
                return response with { Rows = heat };
            }
            case AnalysisShape.Duration:
            {
                var counts = histogram!.ToDictionary(b => b.Bin, b => b.Samples);
                var samples = counts.Values.Sum();
                var edges = Catalogue.HistogramEdges;
                var bins = edges.Select((from, i) => (IReadOnlyDictionary<string, object?>)new Cells
                {
                    ["fromSeconds"] = from,
                    ["toSeconds"] = i + 1 < edges.Length ? edges[i + 1] : null,
                    ["samples"] = counts.GetValueOrDefault(i + 1),
                    ["share"] = samples == 0 ? null : (double)counts.GetValueOrDefault(i + 1) / samples,
                }).ToList();
                return response with { Rows = bins };
            }
            case AnalysisShape.Sentiment:
            {
                var scored = (long)totals["sentimentScored"]!;
                return response with
                {
                    Rows = Catalogue.SentimentBands.Select(b => (IReadOnlyDictionary<string, object?>)new Cells
                    {
                        ["band"] = b.Band, ["min"] = b.Min, ["max"] = b.Max,
                        ["interactions"] = totals[b.Metric],
                        ["share"] = scored == 0 ? null : (double)(long)totals[b.Metric]! / scored,
                    }).ToList(),
                };
            }
            case AnalysisShape.Csat:
            {
                var responses = (long)totals["csatResponses"]!;
                return response with
                {
                    Rows = Enumerable.Range(1, 5).Select(score => (IReadOnlyDictionary<string, object?>)new Cells
                    {
                        ["score"] = score,
                        ["responses"] = totals[$"csat{score}"],
                        ["share"] = responses == 0 ? null : (double)(long)totals[$"csat{score}"]! / responses,
                    }).ToList(),
                };
            }
            default:
                return response;
        }
    }

    /// <summary>Flat rows, bucket-major: every bucket × every group seen in the range, empty ones with zeros and nulls.</summary>
    private static List<IReadOnlyDictionary<string, object?>> BucketsByGroup(BucketPlan plan, IReadOnlyList<Metric> metrics, IReadOnlyList<string> keys,
        IReadOnlyList<Data.Row> rows, List<GroupKey> groups)
    {
        if ((long)plan.Buckets.Count * groups.Count > MaxCells)
            throw new RequestValidationException([new ValidationFailure("groupBy",
                $"{plan.Buckets.Count} buckets × {groups.Count} groups exceed {MaxCells} rows; use a longer interval, fewer groups or filters.")]);
        var byCell = rows.Where(r => r.Level == Data.Level.BucketAndKeys).ToDictionary(r => (r.Bucket!.Value, Key(r)));
        var result = new List<IReadOnlyDictionary<string, object?>>(plan.Buckets.Count * groups.Count);
        for (var i = 0; i < plan.Buckets.Count; i++)
            foreach (var group in groups)
            {
                var cells = new Cells { ["start"] = plan.Buckets[i].StartMs, ["end"] = plan.Buckets[i].EndMs, [keys[0]] = group.K1 };
                if (keys.Count > 1)
                    cells[keys[1]] = group.K2;
                foreach (var (name, value) in MetricCells(metrics, byCell.GetValueOrDefault((i + 1, group))?.Values))
                    cells[name] = value;
                result.Add(cells);
            }
        return result;
    }

    private static GroupKey Key(Data.Row r) => new(r.Key1, r.Key2);

    private static Cells WithBounds(TimeBucket bucket, Cells metrics)
    {
        var cells = new Cells { ["start"] = bucket.StartMs, ["end"] = bucket.EndMs };
        foreach (var (name, value) in metrics)
            cells[name] = value;
        return cells;
    }

    /// <summary>Counts are integers (0 without rows); averages, percentiles and ratios stay null without a sample.</summary>
    private static Cells MetricCells(IReadOnlyList<Metric> metrics, double?[]? values)
    {
        var cells = new Cells();
        for (var m = 0; m < metrics.Count; m++)
        {
            var value = values?[m];
            cells[metrics[m].Name] = metrics[m].IsCount ? (object)(long)Math.Round(value ?? 0) : value;
        }
        return cells;
    }

    /// <summary>Keys ascending (ordinal text, numbers by value), null last.</summary>
    private sealed class KeyOrder : IComparer<object?>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            (string a, string b) => string.CompareOrdinal(a, b),
            _ => Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(y, System.Globalization.CultureInfo.InvariantCulture)),
        };
    }
}
