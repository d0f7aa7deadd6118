using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.ChatStats;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Get("/Dashboard/ChatStats");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(200, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Live snapshot and today so far";
            s.Description = "At `at` (epoch ms, default now): active interactions, interactions waiting in a queue and the longest wait, "
                + "agents online, active bot sessions; and from the provider's local midnight to `at`: started, offered, answered, abandoned "
                + "and average wait. Events after `at` are ignored, so a past `at` replays the wallboard as it was.";
            s.ExampleRequest = new Request { ProviderId = 1001, At = 1772944200000 };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var at = r.At is { } ms ? Epoch.FromMs(ms) : time.GetUtcNow().UtcDateTime;
        var zone = TimeZones.Find(await Data.ProviderZoneAsync(db, providerId, ct)) ?? TimeZoneInfo.Utc;
        var midnight = TimeZones.LocalMidnightUtc(at, zone);
        var f = await Data.QueryAsync(db, providerId, at, midnight, ct);

        var response = new Response
        {
            ProviderId = providerId,
            At = Epoch.ToMs(at),
            Tz = zone.Id,
            Live = new Live
            {
                ActiveInteractions = f.ActiveInteractions,
                WaitingInQueue = f.WaitingInQueue,
                LongestWaitSeconds = f.LongestWaitSeconds,
                AgentsOnline = f.AgentsOnline,
                ActiveBotSessions = f.ActiveBotSessions,
            },
            Today = new Today
            {
                Start = Epoch.ToMs(midnight),
                End = Epoch.ToMs(at),
                Started = f.Started,
                Offered = f.Offered,
                Answered = f.Answered,
                Abandoned = f.Abandoned,
                WaitSecondsAvg = f.WaitSecondsAvg,
            },
        };
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }
}
