using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.DBStats;

public sealed class Endpoint(NpgsqlDataSource db, IConfiguration configuration) : Endpoint<Request, Response>
{
    public override void Configure()
    {
        Post("/Dashboard/DBStats");
        Roles(KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(201, "application/json", "text/csv"));
        Summary(s =>
        {
            s.Summary = "Database statistics";
            s.Description = "KoopidAdmin without providerId: database size, per-table rows (exact below 100 000 estimated rows, else the "
                + "planner's estimate, see rowsExact) and bytes, connections, cache hit ratio, provider count, oldest/newest event. "
                + "ProviderAdmin, or KoopidAdmin naming a provider: that provider's exact row count per table and its data span. "
                + "Answers 201 Created, as the seed API does; CSV lists the tables.";
            s.ExampleRequest = new Request { ProviderId = 1001 };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        Response response;
        if (r.ProviderId is { } providerId)
        {
            var (span, rows) = await Data.ProviderAsync(db, providerId, configuration.GetValue(RollupSplit.EnabledKey, true), ct);
            response = new Response
            {
                Scope = "provider",
                ProviderId = providerId,
                OldestEventAt = Ms(span.OldestEventAt),
                NewestEventAt = Ms(span.NewestEventAt),
                Rows = Data.Tables.Select(t => new TableRow { Table = t, Rows = rows.GetValueOrDefault(t), RowsExact = true }).ToList(),
            };
        }
        else
        {
            var (platform, tables) = await Data.PlatformAsync(db, ct);
            response = new Response
            {
                Scope = "platform",
                DatabaseBytes = platform.DatabaseBytes,
                Connections = platform.Connections,
                MaxConnections = platform.MaxConnections,
                CacheHitRatio = platform.CacheHitRatio,
                ProviderCount = platform.ProviderCount,
                OldestEventAt = Ms(platform.OldestEventAt),
                NewestEventAt = Ms(platform.NewestEventAt),
                Rows = tables.Select(t => new TableRow { Table = t.Table, Rows = t.Rows, RowsExact = t.Exact, Bytes = t.Bytes }).ToList(),
            };
        }
        await DashboardResponses.SendAsync(HttpContext, response, ct);
    }

    private static long? Ms(DateTime? utc) => utc is { } t ? Epoch.ToMs(t) : null;
}
