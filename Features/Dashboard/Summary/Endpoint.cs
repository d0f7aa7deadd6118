using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Summary;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/Summary");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "KPI cards: the range against the previous range";
            s.Description = "Twelve KPI cards { value, previous, changeRatio } for [start, end) and the previous range of equal length "
                + "[start − (end − start), start): interactions, uniqueCustomers, messages, answered, abandonRate, waitSecondsAvg, handleSecondsAvg, "
                + "firstResponseSecondsAvg, containmentRate, avgSentiment, avgCsat, activeAgents. changeRatio = (value − previous) ÷ previous, "
                + "null when previous is null or 0. The cards are in totals (and one per line in rows, ?csv=rows); the interval is always "
                + "'total', so buckets holds one bucket, the range, with the current values. Answers 201 Created, as the seed API does.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000 };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        // Resolve defaults and limits as every slice does, then summarise the whole range as one bucket.
        var resolved = await RangeResolver.PlanAsync(db, r, time, ct);
        var plan = BucketPlan.Create(resolved.Start, resolved.End, BucketInterval.Total, resolved.Zone);
        var previousStart = plan.Start - (plan.End - plan.Start);
        var previousPlan = BucketPlan.Create(previousStart, plan.Start, BucketInterval.Total, resolved.Zone);
        var (current, previous) = await Data.QueryAsync(db, providerId, plan, previousPlan,
            RollupSplit.For(plan, configuration), RollupSplit.For(previousPlan, configuration), time.GetUtcNow().UtcDateTime, ct);

        var cards = new Cards
        {
            Interactions = Card.Of(current.Interactions, previous.Interactions),
            UniqueCustomers = Card.Of(current.UniqueCustomers, previous.UniqueCustomers),
            Messages = Card.Of(current.Messages, previous.Messages),
            Answered = Card.Of(current.Answered, previous.Answered),
            AbandonRate = Card.Of(current.AbandonRate, previous.AbandonRate),
            WaitSecondsAvg = Card.Of(current.WaitSecondsAvg, previous.WaitSecondsAvg),
            HandleSecondsAvg = Card.Of(current.HandleSecondsAvg, previous.HandleSecondsAvg),
            FirstResponseSecondsAvg = Card.Of(current.FirstResponseSecondsAvg, previous.FirstResponseSecondsAvg),
            ContainmentRate = Card.Of(current.ContainmentRate, previous.ContainmentRate),
            AvgSentiment = Card.Of(current.AvgSentiment, previous.AvgSentiment),
            AvgCsat = Card.Of(current.AvgCsat, previous.AvgCsat),
            ActiveAgents = Card.Of(current.ActiveAgents, previous.ActiveAgents),
        };
        var response = new Response(providerId, plan)
        {
            PreviousStart = Epoch.ToMs(previousStart),
            PreviousEnd = plan.StartMs,
            Buckets = [new Bucket(plan.StartMs, plan.EndMs, current)],
            Totals = cards,
            Rows = typeof(Cards).GetProperties().Select(p => (Name: char.ToLowerInvariant(p.Name[0]) + p.Name[1..], Card: (Card)p.GetValue(cards)!))
                .Select(x => new Row(x.Name, x.Card.Value, x.Card.Previous, x.Card.ChangeRatio)).ToList(),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
