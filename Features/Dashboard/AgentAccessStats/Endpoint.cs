using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.AgentAccessStats;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/AgentAccessStats");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Agent logins and logged-in time per bucket and per agent";
            s.Description = "Logins (attributed to loginAt), unique agents logged in during each bucket, and logged-in seconds split across "
                + "buckets by overlap; an open session counts up to min(now, end). Rows give each agent's logins, first login, last logout "
                + "(null while still logged in) and logged-in seconds. Filter: agentId[]. Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772859600000, End = 1773201600000, Interval = "P1D", Tz = "America/New_York", AgentId = [7, 8] };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var rows = await Data.QueryAsync(db, providerId, plan, time.GetUtcNow().UtcDateTime, r,
            inService: configuration.GetValue(RollupSplit.EnabledKey, true), ct);

        var response = new Response(providerId, plan)
        {
            Buckets = BucketFill.Fill(plan, rows.Where(x => x.Grp == Data.BucketGroup), x => x.Bucket!.Value,
                (bucket, row) => new Bucket(bucket, row)),
            Totals = rows.FirstOrDefault(x => x.Grp == Data.TotalsGroup) ?? new Metrics(),
            Rows = rows.Where(x => x.Grp == Data.AgentGroup).Select(x => new AgentRow
            {
                AgentId = x.AgentId!.Value,
                Name = x.Name,
                Logins = x.Logins,
                FirstLoginAt = x.FirstLoginAt,
                LastLogoutAt = x.LastLogoutAt,
                LoggedInSeconds = x.LoggedInSeconds,
            }).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
