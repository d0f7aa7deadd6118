using System.ComponentModel;
using KoopidDashboard.Infrastructure.Security;

namespace KoopidDashboard.Features.Dashboard.Analytics.List;

/// <summary>The catalogue is the same for every provider: the request names none.</summary>
public sealed class Request : IProviderFree
{
    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

public sealed record MetricInfo
{
    public string Name { get; init; } = "";
    public string Unit { get; init; } = "";
    public string Definition { get; init; } = "";
    /// <summary>The timestamp whose bucket receives the metric (SPEC §4 attribution).</summary>
    public string AttributedTo { get; init; } = "";
    public string Source { get; init; } = "";
    /// <summary>Dimensions the metric can be grouped by in aggregate — and filtered by, in every analysis.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];
    public IReadOnlyList<string> Filters { get; init; } = [];
}

public sealed record AnalysisInfo
{
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public string Path { get; init; } = "";
    public IReadOnlyList<string> Metrics { get; init; } = [];
    public string? BreakdownBy { get; init; }
    /// <summary>What the rows of the response hold.</summary>
    public string Rows { get; init; } = "";
}

public sealed record DimensionInfo
{
    public string Name { get; init; } = "";
    public string Definition { get; init; } = "";
}

public sealed record Response
{
    public IReadOnlyList<AnalysisInfo> AnalysisTypes { get; init; } = [];
    public IReadOnlyList<MetricInfo> Metrics { get; init; } = [];
    public IReadOnlyList<DimensionInfo> Dimensions { get; init; } = [];
    public string DataSyntax { get; init; } = "";
    public int MaxGroupBy { get; init; }
    public IReadOnlyList<double> HistogramEdgesSeconds { get; init; } = [];
}
