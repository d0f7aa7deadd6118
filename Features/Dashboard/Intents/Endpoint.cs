using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Intents;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public const int DefaultLimit = 10;

    public override void Configure()
    {
        Post("/Dashboard/Intents");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Interactions per intent";
            s.Description = "Rows per intent (every intent in the range, busiest first): interactions, share of all interactions, botContained "
                + "(a bot session of the interaction ended contained, or a bot-only interaction without bot sessions) and average sentiment. "
                + "Buckets break down the top `limit` intents (1..100, default 10) under byIntent. Attributed to startedAt; all filters apply. "
                + "Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Limit = 5 };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var figures = await Data.QueryAsync(db, providerId, plan, r, r.Limit ?? DefaultLimit, RollupSplit.For(plan, configuration), ct);

        var all = figures.FirstOrDefault(x => x.Grp == Data.TotalsGroup);
        var total = all?.Interactions ?? 0;
        var rows = figures.Where(x => x.Grp == Data.IntentGroup && x.Intent is not null)
            .OrderByDescending(x => x.Interactions).ThenBy(x => x.Intent, StringComparer.Ordinal)
            .Select(x => new Row
            {
                Intent = x.Intent!,
                Interactions = x.Interactions,
                Share = total == 0 ? null : (double)x.Interactions / total,
                BotContained = x.BotContained,
                AvgSentiment = x.AvgSentiment,
            }).ToList();
        var top = rows.Take(r.Limit ?? DefaultLimit).Select(x => x.Intent).ToList();
        var perBucket = figures.Where(x => x.Grp == Data.BucketGroup).ToDictionary(x => x.Bucket!.Value, x => x.Interactions);
        var perIntent = figures.Where(x => x.Grp == Data.BucketIntentGroup && x.Intent is not null)
            .ToDictionary(x => (x.Bucket!.Value, x.Intent!), x => x.Interactions);

        var response = new Response(providerId, plan)
        {
            TopIntents = top,
            Buckets = plan.Buckets.Select((bucket, i) => new Bucket
            {
                Start = bucket.StartMs,
                End = bucket.EndMs,
                Interactions = perBucket.GetValueOrDefault(i + 1),
                ByIntent = top.ToDictionary(intent => intent, intent => perIntent.GetValueOrDefault((i + 1, intent))),
            }).ToList(),
            Totals = new Totals
            {
                Interactions = total,
                WithoutIntent = figures.FirstOrDefault(x => x.Grp == Data.IntentGroup && x.Intent is null)?.Interactions ?? 0,
                BotContained = all?.BotContained ?? 0,
                AvgSentiment = all?.AvgSentiment,
            },
            Rows = rows,
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
