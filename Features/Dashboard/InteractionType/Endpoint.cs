using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.InteractionType;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/InteractionType");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Interactions per interaction type";
            s.Description = "Rows per interaction type (chat, voice, video, email, sms, social) with interactions, share of all interactions "
                + "in the range and average duration; each bucket repeats the figures per type under byType (CSV: byType.chat.interactions …). "
                + "Attributed to startedAt; all filters apply. Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Interval = "P1D", Tz = "America/New_York" };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, r, time, ct);
        var figures = await Data.QueryAsync(db, providerId, plan, r, RollupSplit.For(plan, configuration), ct);

        // Types seen in the range, busiest first: the rows, and the keys of every bucket's byType.
        var rows = figures.Where(f => f.Bucket is null && f.InteractionType is not null)
            .OrderByDescending(f => f.Interactions).ThenBy(f => f.InteractionType, StringComparer.Ordinal).ToList();
        var types = rows.Select(f => f.InteractionType!).ToList();
        var cells = figures.Where(f => f.Bucket is not null && f.InteractionType is not null)
            .ToDictionary(f => (f.Bucket!.Value, f.InteractionType!));

        Metrics Build(Data.Figures? all, Func<string, Data.Figures?> ofType)
        {
            var total = all?.Interactions ?? 0;
            return new Metrics
            {
                Interactions = total,
                DurationSecondsAvg = all?.DurationSecondsAvg,
                ByType = types.ToDictionary(t => t, t => ofType(t) is { } f
                    ? new TypeMetrics { Interactions = f.Interactions, Share = Share(f.Interactions, total), DurationSecondsAvg = f.DurationSecondsAvg }
                    : new TypeMetrics { Share = total == 0 ? null : 0 }),
            };
        }

        var perBucket = figures.Where(f => f.Bucket is not null && f.InteractionType is null).ToDictionary(f => f.Bucket!.Value);
        var grand = figures.FirstOrDefault(f => f.Bucket is null && f.InteractionType is null);
        var response = new Response(providerId, plan)
        {
            // Like BucketFill.Fill, but each bucket also needs its number to find its per-type cells.
            Buckets = plan.Buckets.Select((bucket, i) => new Bucket(bucket,
                Build(perBucket.GetValueOrDefault(i + 1), t => cells.GetValueOrDefault((i + 1, t))))).ToList(),
            Totals = Build(grand, t => rows.FirstOrDefault(f => f.InteractionType == t)),
            Rows = rows.Select(f => new Row
            {
                InteractionType = f.InteractionType!,
                Interactions = f.Interactions,
                Share = Share(f.Interactions, grand?.Interactions ?? 0),
                DurationSecondsAvg = f.DurationSecondsAvg,
            }).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }

    private static double? Share(long part, long total) => total == 0 ? null : (double)part / total;
}
