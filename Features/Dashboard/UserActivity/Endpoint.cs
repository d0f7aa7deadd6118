using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.UserActivity;

public sealed class Endpoint(NpgsqlDataSource db) : Endpoint<Request, Response>
{
    public const int DefaultLimit = 50;

    public override void Configure()
    {
        Get("/Dashboard/UserActivity");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(200, "application/json", "text/csv").ProducesProblem(404));
        Summary(s =>
        {
            s.Summary = "One customer's journey";
            s.Description = "For the customer `for`: first and last seen, channels used, interaction count, and a keyset-paged timeline of "
                + "interactions, newest first (channel, type, queue, agent, bot, outcome, intent, message count, sentiment); `limit` 1..200 "
                + "(default 50), `cursor` = the previous page's nextCursor. A customer unknown to the caller's provider is 404, also when "
                + "another provider has it. CSV exports the timeline page.";
            s.ExampleRequest = new Request { ProviderId = 1001, For = 42, Limit = 20 };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var customerId = r.For!.Value;
        var limit = r.Limit ?? DefaultLimit;
        TimelineCursor? cursor = r.Cursor is { } text && TimelineCursor.TryDecode(text, out var c) ? c : null;
        // One more than asked tells whether a next page exists.
        var (journey, page) = await Data.QueryAsync(db, providerId, customerId, cursor, limit + 1, ct);
        if (!journey.KnownCustomer && journey.InteractionCount == 0)
        {
            // The same answer whether the id is unknown everywhere or belongs to another provider: no existence leak.
            await Problems.WriteAsync(HttpContext, 404, "Customer not found", "This provider has no customer with that id.");
            return;
        }

        var items = page.Take(limit).ToList();
        var response = new Response
        {
            ProviderId = providerId,
            CustomerId = customerId,
            FirstSeenAt = journey.FirstSeenAt is { } first ? Epoch.ToMs(first) : null,
            LastSeenAt = journey.LastSeenAt is { } last ? Epoch.ToMs(last) : null,
            Channels = journey.Channels,
            InteractionCount = journey.InteractionCount,
            Rows = items.Select(i => new TimelineItem
            {
                InteractionId = i.InteractionId,
                StartedAt = Epoch.ToMs(i.StartedAt),
                EndedAt = i.EndedAt is { } e ? Epoch.ToMs(e) : null,
                Channel = i.Channel,
                InteractionType = i.InteractionType,
                QueueId = i.QueueId,
                QueueName = i.QueueName,
                AgentId = i.AgentId,
                AgentName = i.AgentName,
                BotId = i.BotId,
                BotName = i.BotName,
                Outcome = i.Outcome,
                Intent = i.Intent,
                Messages = i.Messages,
                Sentiment = i.Sentiment,
            }).ToList(),
            NextCursor = page.Count > limit ? new TimelineCursor(items[^1].StartedAt, items[^1].InteractionId).Encode() : null,
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
