using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.AgentQueueStats;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        // The seed API spells the second path without the "n"; existing clients call it, so both routes answer.
        Post("/Dashboard/AgentQueueStats", "/Dashboard/AgetQueueStats");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Queue performance per bucket and per queue";
            s.Description = "Offered, answered and abandoned interactions, service level, abandon rate, wait seconds (avg, max, exact p50/p90) "
                + "and average abandon seconds, attributed to the bucket holding queuedAt. serviceLevelSeconds (1..86400) sets one threshold "
                + "for every queue; without it each interaction is judged by its own queue's threshold. Filters: channel[], interactionType[], "
                + "queueId[], agentId[], botId[]. Also answers at /Dashboard/AgetQueueStats (the seed's spelling). Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Tz = "America/New_York", ServiceLevelSeconds = 30 };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        // Rollups:Enabled = false answers from the reference SQL instead, as every slice's raw path does
        var inService = configuration.GetValue(RollupSplit.EnabledKey, true);
        var rows = await Data.QueryAsync(db, providerId, plan, r, inService, ct);

        var response = new Response(providerId, plan)
        {
            ServiceLevelSeconds = r.ServiceLevelSeconds,
            Buckets = BucketFill.Fill(plan, rows.Where(x => x.Grp == Data.BucketGroup), x => x.Bucket!.Value,
                (bucket, row) => new Bucket(bucket, row)),
            Totals = rows.FirstOrDefault(x => x.Grp == Data.TotalsGroup) ?? new Metrics(),
            Rows = rows.Where(x => x.Grp == Data.QueueGroup).Select(x => new QueueRow(x) { QueueId = x.QueueId, Name = x.Name }).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
