using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.CustomerEndpoint;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/CustomerEndpoint");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Customers reached per channel";
            s.Description = "Rows per channel and buckets: interactions, uniqueCustomers, newCustomers (first-ever interaction, over all history, "
                + "falls in the bucket) and returningCustomers (the other unique customers). Attributed to startedAt; all filters apply. "
                + "Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Tz = "Europe/Berlin" };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var figures = await Data.QueryAsync(db, providerId, plan, r, RollupSplit.For(plan, configuration), ct);

        var response = new Response(providerId, plan)
        {
            Buckets = BucketFill.Fill(plan, figures.Where(f => f.Bucket is not null), f => f.Bucket!.Value,
                (bucket, f) => new Bucket(bucket, f is null ? null : ToMetrics(f))),
            Totals = figures.FirstOrDefault(f => f.Bucket is null && f.Channel is null) is { } all ? ToMetrics(all) : new Metrics(),
            Rows = figures.Where(f => f.Bucket is null && f.Channel is not null)
                .OrderByDescending(f => f.Interactions).ThenBy(f => f.Channel, StringComparer.Ordinal)
                .Select(f => new Row(f.Channel!, ToMetrics(f))).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }

    private static Metrics ToMetrics(Data.Figures f) => new()
    {
        Interactions = f.Interactions,
        UniqueCustomers = f.UniqueCustomers,
        NewCustomers = f.NewCustomers,
        ReturningCustomers = f.UniqueCustomers - f.NewCustomers,
    };
}
