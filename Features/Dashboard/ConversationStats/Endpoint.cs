using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.ConversationStats;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/Dashboard/{providerId}/ConversationStats");
        // SPEC §5: the redacted-data endpoints are Provider Admin only; a KoopidAdmin gets 403.
        Roles(KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(200, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Conversation statistics per local day, from redacted data";
            s.Description = "One bucket per local day in tz (a daylight-saving day is 23 or 25 hours; explicit start/end in epoch ms; "
                + "empty days present): conversations (interactions by startedAt), messages (by sentAt), messagesPerConversationAvg, "
                + "durationSecondsAvg, redactedEntities and redactedEntitiesByType (EMAIL, PHONE_NUMBER, CREDIT_CARD, US_SSN, IBAN_CODE, "
                + "IP_ADDRESS, URL, always present), sentimentAvg. Averages are null on days without a sample. Provider Admin only. "
                + "Example: GET /Dashboard/1001/ConversationStats?start=1772946000000&end=1773547200000&tz=America/New_York "
                + "→ 7 buckets, the one of 2026-03-08 23 hours long. Accept: text/csv gives one row per day.";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772946000000, End = 1773547200000, Tz = "America/New_York" };
            s.ResponseExamples[200] = Example;
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, providerId, r.Start, r.End, BucketInterval.Day.Name, r.Tz, time, ct);
        var (conversations, messages, entities) = await Data.QueryAsync(db, providerId, plan, RollupSplit.For(plan, configuration), ct);

        var conversationsBy = conversations.Where(x => x.Bucket is not null).ToDictionary(x => x.Bucket!.Value);
        var messagesBy = messages.Where(x => x.Bucket is not null).ToDictionary(x => x.Bucket!.Value);
        Metrics Build(int? bucket) => Combine(
            bucket is { } b ? conversationsBy.GetValueOrDefault(b) : conversations.FirstOrDefault(x => x.Bucket is null),
            bucket is { } c ? messagesBy.GetValueOrDefault(c) : messages.FirstOrDefault(x => x.Bucket is null),
            entities.Where(x => x.Bucket == bucket));

        var response = new Response(providerId, plan)
        {
            Buckets = plan.Buckets.Select((bucket, i) => new Bucket(bucket, Build(i + 1))).ToList(),
            Totals = Build(null),
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }

    private static Metrics Combine(Data.ConversationRow? c, Data.MessageRow? m, IEnumerable<Data.EntityRow> entities)
    {
        var byType = Data.EntityTypes.ToDictionary(t => t, _ => 0L);
        foreach (var e in entities)
            byType[e.EntityType] = e.Occurrences;
        return new Metrics
        {
            Conversations = c?.Conversations ?? 0,
            Messages = m?.Messages ?? 0,
            MessagesPerConversationAvg = c?.MessagesPerConversationAvg,
            DurationSecondsAvg = c?.DurationSecondsAvg,
            RedactedEntities = m?.RedactedEntities ?? 0,
            RedactedEntitiesByType = byType,
            SentimentAvg = c?.SentimentAvg,
        };
    }

    private static readonly Response Example = new(1001, BucketPlan.Create(
        new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 9, 4, 0, 0, DateTimeKind.Utc), BucketInterval.Day,
        TimeZones.Find("America/New_York")!))
    {
        Buckets = [new Bucket(new TimeBucket(new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 9, 4, 0, 0, DateTimeKind.Utc)),
            new Metrics
            {
                Conversations = 2, Messages = 5, MessagesPerConversationAvg = 2.5, DurationSecondsAvg = 900, RedactedEntities = 2,
                RedactedEntitiesByType = new Dictionary<string, long> { ["EMAIL"] = 1, ["CREDIT_CARD"] = 1 }, SentimentAvg = 0.25,
            })],
    };
}
