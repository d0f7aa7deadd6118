using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Messages;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/Messages");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Message volume per bucket";
            s.Description = "Messages by sender type (customer, agent, bot, system), distinct interactions, messages per interaction and "
                + "redacted entities, attributed to the bucket holding sentAt. Filters apply through the message's interaction. "
                + "Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Channel = ["webchat"] };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var rows = await Data.QueryAsync(db, providerId, plan, r, RollupSplit.For(plan, configuration), ct);

        var response = new Response(providerId, plan)
        {
            Buckets = BucketFill.Fill(plan, rows.Where(x => x.Bucket is not null), x => x.Bucket!.Value,
                (bucket, row) => new Bucket(bucket, row)),
            Totals = rows.FirstOrDefault(x => x.Bucket is null) ?? new Metrics(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
