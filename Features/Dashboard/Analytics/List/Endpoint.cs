using FastEndpoints;
using KoopidDashboard.Features.Dashboard.Analytics.Run;
using KoopidDashboard.Infrastructure.Security;

namespace KoopidDashboard.Features.Dashboard.Analytics.List;

/// <summary>GET /Dashboard/Analytics: the catalogue, generated from the very definitions the queries use.</summary>
public sealed class Endpoint : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/Dashboard/Analytics");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(200, "application/json"));
        Summary(s =>
        {
            s.Summary = "The analytics catalogue";
            s.Description = "Every analysis type (with its path and default metrics) and every metric with its unit, definition (SPEC §4), "
                + "the timestamp it is attributed to, and the dimensions it can be grouped and filtered by. Generated from the same C# "
                + "catalogue the queries are built from. The same for every provider: no providerId.";
            s.ExampleRequest = new Request();
        });
    }

    public override Task HandleAsync(Request r, CancellationToken ct) => Send.OkAsync(Build(), ct);

    public static Response Build() => new()
    {
        AnalysisTypes = Catalogue.Analyses.Select(a => new AnalysisInfo
        {
            Name = a.Name,
            Description = a.Description,
            Path = Run.Endpoint.Route.Replace("{analysisType}", a.Name),
            Metrics = a.Metrics,
            BreakdownBy = a.BreakdownBy,
            Rows = RowsOf(a.Shape),
        }).ToList(),
        Metrics = Catalogue.Metrics.Select(m => new MetricInfo
        {
            Name = m.Name,
            Unit = m.Unit,
            Definition = m.Definition,
            AttributedTo = m.AttributedTo,
            Source = m.Source.Name,
            GroupBy = m.Groupings,
            Filters = m.Groupings,
        }).ToList(),
        Dimensions = Catalogue.Dimensions.Select(d => new DimensionInfo { Name = d.Name, Definition = d.Definition }).ToList(),
        DataSyntax = RunOptions.DataSyntax,
        MaxGroupBy = Catalogue.MaxGroupBy,
        HistogramEdgesSeconds = Catalogue.HistogramEdges,
    };

    private static string RowsOf(AnalysisShape shape) => shape switch
    {
        AnalysisShape.Series => "none: buckets and totals only",
        AnalysisShape.Sentiment => "one per sentiment band (negative < −0.25 ≤ neutral ≤ 0.25 < positive): interactions, share of scored",
        AnalysisShape.Csat => "one per score 1..5: responses, share",
        AnalysisShape.Duration => "histogram bins [fromSeconds, toSeconds): samples, share; the last bin is open",
        AnalysisShape.Heatmap => "168 cells: weekday (1 = Monday) × hour (0..23, local in tz) with the metrics",
        AnalysisShape.Breakdown => "one per key over the range, busiest first, with share of started; buckets hold every bucket × key",
        _ => "one per bucket and group (flat): start, end, the groupBy keys, the metrics",
    };
}
