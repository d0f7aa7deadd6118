using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.BotAccessStats;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/BotAccessStats");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Bot sessions and containment per bucket and per bot";
            s.Description = "Bot sessions, contained, escalated and abandoned sessions, containment rate (contained ÷ sessions), average "
                + "duration of ended sessions and average turns, attributed to the bucket holding the session's startedAt. "
                + "Filter: botId[]. Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Tz = "Asia/Kolkata", BotId = [3] };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var rows = await Data.QueryAsync(db, providerId, plan, r, RollupSplit.For(plan, configuration), ct);

        var response = new Response(providerId, plan)
        {
            Buckets = BucketFill.Fill(plan, rows.Where(x => x.Grp == Data.BucketGroup), x => x.Bucket!.Value,
                (bucket, row) => new Bucket(bucket, row)),
            Totals = rows.FirstOrDefault(x => x.Grp == Data.TotalsGroup) ?? new Metrics(),
            Rows = rows.Where(x => x.Grp == Data.BotGroup).Select(x => new BotRow(x) { BotId = x.BotId!.Value, Name = x.Name }).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
