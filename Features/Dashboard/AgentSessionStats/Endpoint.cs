using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.AgentSessionStats;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/AgentSessionStats");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Agent work per bucket and per agent";
            s.Description = "Handled interactions with handle and first-response seconds (avg, exact p50/p90), attributed to answeredAt; "
                + "agent messages sent (by sentAt); logged-in seconds split across buckets by overlap (an open session counts up to "
                + "min(now, end)); occupancy = handle seconds of interactions answered in the bucket ÷ logged-in seconds (null when not "
                + "logged in). agentId[] narrows everything; channel[], interactionType[], queueId[] and botId[] narrow the interactions and "
                + "their messages. Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Tz = "America/New_York", AgentId = [7] };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var rows = await Data.QueryAsync(db, providerId, plan, time.GetUtcNow().UtcDateTime, r, RollupSplit.For(plan, configuration), ct);

        var response = new Response(providerId, plan)
        {
            Buckets = BucketFill.Fill(plan, rows.Where(x => x.Grp == Data.BucketGroup), x => x.Bucket!.Value,
                (bucket, row) => new Bucket(bucket, row)),
            Totals = rows.FirstOrDefault(x => x.Grp == Data.TotalsGroup) ?? new Metrics(),
            Rows = rows.Where(x => x.Grp == Data.AgentGroup).Select(x => new AgentRow(x) { AgentId = x.AgentId!.Value, Name = x.Name }).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
