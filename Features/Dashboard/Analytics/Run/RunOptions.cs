using FluentValidation.Results;

namespace KoopidDashboard.Features.Dashboard.Analytics.Run;

/// <summary>What a request asks for, checked against the catalogue: only names found there go on to the query builder.</summary>
public sealed record Resolved(Analysis Analysis, IReadOnlyList<Metric> Metrics, IReadOnlyList<string> GroupBy,
    IReadOnlyDictionary<string, Array> Filters);

/// <summary>
/// Reads metrics/groupBy (as arrays or from <c>data</c>) and the filters, and checks every combination. The validator and
/// the handler both call <see cref="Resolve"/>, so they agree.
/// </summary>
public static class RunOptions
{
    public const int MaxDataLength = 2000;
    public const string DataSyntax = "data=metrics:offered;answered,groupBy:queueId;channel — options separated by ',', "
        + "each name:value with values separated by ';'; option names metrics and groupBy.";

    public static List<ValidationFailure> Resolve(Request r, out Resolved? resolved)
    {
        resolved = null;
        var failures = new List<ValidationFailure>();
        var analysis = Catalogue.FindAnalysis(r.AnalysisType)!;
        var metricNames = r.Metrics?.ToList() ?? [];
        var groupNames = r.GroupBy?.ToList() ?? [];
        if (r.Data is not null)
            ParseData(r.Data, r, metricNames, groupNames, failures);
        if (failures.Count > 0)
            return failures;

        var metrics = new List<Metric>();
        foreach (var name in metricNames)
        {
            if (Catalogue.FindMetric(name) is { } metric)
            {
                if (!metrics.Contains(metric))
                    metrics.Add(metric);
            }
            else
                failures.Add(new("metrics", $"'{Echo(name)}' is not a catalogue metric; GET /Dashboard/Analytics lists them."));
        }
        var groupBy = new List<string>();
        foreach (var name in groupNames)
        {
            if (Catalogue.FindDimension(name) is not { } dimension)
                failures.Add(new("groupBy", $"'{Echo(name)}' is not a dimension; groupBy takes {string.Join(", ", Catalogue.Dimensions.Select(d => d.Name))}."));
            else if (groupBy.Contains(dimension.Name))
                failures.Add(new("groupBy", $"groupBy names '{dimension.Name}' twice."));
            else
                groupBy.Add(dimension.Name);
        }
        if (groupNames.Count > Catalogue.MaxGroupBy)
            failures.Add(new("groupBy", $"groupBy takes at most {Catalogue.MaxGroupBy} dimensions."));
        if (metricNames.Count > Catalogue.MaxMetrics)
            failures.Add(new("metrics", $"metrics takes at most {Catalogue.MaxMetrics} names."));

        switch (analysis.Shape)
        {
            case AnalysisShape.Aggregate when metricNames.Count == 0:
                failures.Add(new("metrics", "aggregate needs at least one metric, e.g. metrics: [\"offered\"] or data=metrics:offered."));
                break;
            case AnalysisShape.Aggregate:
                break;
            case AnalysisShape.Heatmap when groupNames.Count > 0:
                failures.Add(new("groupBy", "heatmap groups by local weekday and hour itself; groupBy applies to aggregate only."));
                break;
            case AnalysisShape.Heatmap:
                break;
            default:
                if (metricNames.Count > 0)
                    failures.Add(new("metrics", $"{analysis.Name} has fixed metrics; metrics applies to aggregate and heatmap."));
                if (groupNames.Count > 0)
                    failures.Add(new("groupBy", $"{analysis.Name} has a fixed shape; groupBy applies to aggregate only."));
                break;
        }
        if (failures.Count > 0)
            return failures;

        if (metrics.Count == 0)
            metrics = analysis.Metrics.Select(n => Catalogue.FindMetric(n)!).ToList();
        var filters = Filters(r);
        foreach (var metric in metrics)
        {
            foreach (var dimension in groupBy.Where(d => !metric.Source.Has(d)))
                failures.Add(new("groupBy", $"Metric '{metric.Name}' cannot be grouped by '{dimension}': {Why(metric)} "
                    + $"It can be grouped by {string.Join(", ", metric.Groupings)}."));
            foreach (var dimension in filters.Keys.Where(d => !metric.Source.Has(d)))
                failures.Add(new(dimension, $"Metric '{metric.Name}' cannot be filtered by '{dimension}': {Why(metric)} "
                    + $"It can be filtered by {string.Join(", ", metric.Groupings)}."));
        }
        if (failures.Count == 0)
            resolved = new Resolved(analysis, metrics, analysis.BreakdownBy is { } by ? [by] : groupBy, filters);
        return failures;
    }

    private static string Why(Metric metric) =>
        metric.Source == Sources.BotSessions ? "bot sessions run before any queue or agent." : $"{metric.Source.Name} do not carry it.";

    /// <summary>The filters that restrict anything (an empty array is no filter, SPEC §3), keyed by dimension.</summary>
    private static Dictionary<string, Array> Filters(Request r)
    {
        var all = new (string Dimension, Array? Values)[]
        {
            (Catalogue.Channel, r.Channel), (Catalogue.InteractionType, r.InteractionType), (Catalogue.QueueId, r.QueueId),
            (Catalogue.AgentId, r.AgentId), (Catalogue.BotId, r.BotId), (Catalogue.Intent, r.Intent), (Catalogue.Topic, r.Topic),
        };
        return all.Where(f => f.Values is { Length: > 0 }).ToDictionary(f => f.Dimension, f => f.Values!);
    }

    private static void ParseData(string data, Request r, List<string> metrics, List<string> groupBy, List<ValidationFailure> failures)
    {
        if (data.Length > MaxDataLength)
        {
            failures.Add(new("data", $"data is limited to {MaxDataLength} characters."));
            return;
        }
        foreach (var option in data.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = option.IndexOf(':');
            var name = colon < 0 ? option : option[..colon].Trim();
            var values = colon < 0 ? [] : option[(colon + 1)..].Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var target = name.Equals("metrics", StringComparison.OrdinalIgnoreCase) ? metrics
                : name.Equals("groupBy", StringComparison.OrdinalIgnoreCase) ? groupBy : null;
            if (target is null || values.Length == 0)
            {
                failures.Add(new("data", $"'{Echo(option)}' is not an option. Syntax: {DataSyntax}"));
                continue;
            }
            if (target == metrics && r.Metrics is { Length: > 0 } || target == groupBy && r.GroupBy is { Length: > 0 })
            {
                failures.Add(new("data", $"{name} is given both as a parameter and in data; name it once."));
                continue;
            }
            target.AddRange(values);
        }
    }

    /// <summary>Quotes at most 40 characters of what the caller wrote, so a problem never grows with the input.</summary>
    private static string Echo(string? text) => text is null ? "" : text.Length <= 40 ? text : text[..40] + "…";
}
