using FastEndpoints;
using FluentValidation.Results;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Analytics.Run;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time) : Endpoint<Request, Response>
{
    public const string Route = "/Dashboard/Analytics/{analysisType}/{providerId}";

    public override void Configure()
    {
        Verbs(Http.GET, Http.POST);
        Routes(Route);
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        // An unknown analysisType is a 404 whatever else is wrong: the handler decides before reporting validation failures.
        DontThrowIfValidationFails();
        Description(d => d.Produces<Response>(200, "application/json", "text/csv").Produces<Response>(201, "application/json", "text/csv").ProducesProblem(404));
        Summary(s =>
        {
            s.Summary = "Run an analysis of the catalogue";
            s.Description = "analysisType: volume, sentiment, waitTime, handleTime, firstResponse (avg, max, exact p50/p90/p95/p99 per bucket and a "
                + "histogram), heatmap (local weekday × hour in tz), channels, intents, topics, csat, or aggregate (metrics[] from the catalogue, "
                + "groupBy[] up to two of channel, interactionType, queueId, agentId, botId, intent, topic; flat rows per bucket and group). "
                + "POST reads a JSON body and answers 201 Created; GET reads the query and answers 200 OK, with metrics and groupBy as "
                + "repeated parameters or in one option string: " + RunOptions.DataSyntax + " Filters: channel[], interactionType[], queueId[], "
                + "agentId[], botId[], intent[], topic[]. GET /Dashboard/Analytics lists every metric with its definition and allowed groupings. "
                + "An unknown analysisType is 404 (listing the valid ones); a metric that cannot be grouped or filtered by a dimension is 400. "
                + "Accept: text/csv exports the buckets, and ?csv=rows the rows.";
            s.ExampleRequest = new Request
            {
                AnalysisType = "aggregate", ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Tz = "America/New_York",
                Metrics = ["offered", "answered", "waitSecondsP90"], GroupBy = ["queueId"], Channel = ["webchat"],
            };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        if (Catalogue.FindAnalysis(r.AnalysisType) is null)
        {
            var valid = Catalogue.Analyses.Select(a => a.Name).ToList();
            await Problems.WriteAsync(HttpContext, 404, "Unknown analysis type",
                $"There is no such analysis. Valid analysis types: {string.Join(", ", valid)}.",
                new Dictionary<string, object?> { ["validAnalysisTypes"] = valid });
            return;
        }
        ThrowIfAnyErrors();
        await RunAsync(r, ct);
    }

    private async Task RunAsync(Request r, CancellationToken ct)
    {
        RunOptions.Resolve(r, out var q);
        var providerId = r.ProviderId!.Value;
        var heatmap = q!.Analysis.Shape == AnalysisShape.Heatmap;
        if (heatmap)
            r.Interval = BucketInterval.Total.Name; // one range, cut by local weekday and hour instead of buckets
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        IReadOnlyList<string> keys = heatmap ? [Catalogue.LocalWeekday, Catalogue.LocalHour] : q.GroupBy;

        IReadOnlyList<Data.Row> rows;
        try
        {
            rows = await Data.QueryAsync(db, providerId, plan, q.Metrics, keys, q.Filters, ct);
        }
        catch (PostgresException e) when (heatmap && e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            // .NET and PostgreSQL each ship their own zone database; a zone only .NET knows is the caller's 400, not our 500.
            throw new RequestValidationException([new ValidationFailure("tz", $"The database does not know the time zone {plan.Zone.Id}.")]);
        }
        var histogram = q.Analysis.Family is { } family ? await Data.HistogramAsync(db, providerId, plan, family, q.Filters, ct) : null;
        await DashboardResponses.SendAsync(HttpContext, Shapes.Build(providerId, plan, q, keys, rows, histogram), ct);
    }
}
