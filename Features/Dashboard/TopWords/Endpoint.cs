using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.TopWords;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/TopWords");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Most frequent words of redacted message text";
            s.Description = "rows: word, count, share (count ÷ totalTokens) over messages with sentAt in [start, end), from the redacted text "
                + "only. Tokens: Unicode letters/marks/digits with apostrophes inside words, NFC, lower-cased (invariant); excluded: redaction "
                + "placeholders (<EMAIL>, <CREDIT_CARD>…), pure numbers, tokens over 64 characters and en/es/fr/de stop words. Counts are exact. "
                + "Body: limit (1..500, default 50), senderType (customer default, agent, bot, system, all), the SPEC filters (by the message's "
                + "interaction); interval is ignored. Sorted by count, then word. Answers 201 Created, as the seed API does; Accept: text/csv "
                + "gives the rows. Example body: { \"providerId\": 1001, \"start\": 1772323200000, \"end\": 1772928000000, \"limit\": 3 } → "
                + "rows [ { word: \"refund\", count: 42, share: 0.021 }, … ].";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772323200000, End = 1772928000000, Limit = 3, SenderType = "customer" };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, providerId, r.Start, r.End, BucketInterval.Total.Name, r.Tz, time, ct);
        var senderType = r.SenderType ?? "customer";

        // The word tier has no interaction dimensions: a filtered call (or Rollups:Enabled = false) tokenises every text.
        var tokens = (configuration.GetValue(RollupSplit.EnabledKey, true) && Data.Unfiltered(r)
                ? await WordTier.CountAsync(db, providerId, plan, senderType, ct)
                : null)
            ?? await Data.CountAsync(db, providerId, plan, senderType, r, ct);

        await DashboardResponses.SendAsync(HttpContext, new Response(providerId, plan)
        {
            SenderType = senderType,
            TotalTokens = tokens.Total,
            Rows = tokens.Top(r.Limit ?? Request.DefaultLimit).Select(kv => new Row(kv.Key, kv.Value, (double)kv.Value / tokens.Total)).ToList(),
        }, ct);
    }
}
