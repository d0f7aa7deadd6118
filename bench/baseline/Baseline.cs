using System.Text.Json;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;
using BotAccess = KoopidDashboard.Features.Dashboard.BotAccessStats;
using Interactions = KoopidDashboard.Features.Dashboard.Interactions;
using Messages = KoopidDashboard.Features.Dashboard.Messages;

namespace Koopid.Baseline;

/// <summary>
/// The floor the service is measured against: the same three queries as POST /Dashboard/Interactions, /Messages and
/// /BotAccessStats — each slice's <c>Data.QueryAsync</c> (its SQL const through Dapper on one Npgsql data source) after the
/// same range plan (<c>RangeResolver.PlanAsync</c>: the provider's time zone lookup and the bucket bounds), and the same
/// response records serialised with System.Text.Json web defaults, reading the rollups exactly as the service does. Nothing else: no FastEndpoints, no validation, no
/// authentication or tenancy, no rate limiter, access log, problem details or request timeouts. The provider comes from the
/// body. Bench only: it answers anyone on 127.0.0.1.
/// </summary>
public static class BaselineProgram
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var db = DatabaseRegistration.BuildDataSource(DatabaseOptions.GetConnectionString(builder.Configuration));
        var time = TimeProvider.System;
        var config = builder.Configuration; // Rollups:Enabled as for the service (default true): the same SQL
        var app = builder.Build();

        app.MapGet("/health", () => "ok");

        app.MapPost("/Dashboard/Interactions", async (HttpContext http) =>
        {
            var r = (await http.Request.ReadFromJsonAsync<Interactions.Request>(Json, http.RequestAborted))!;
            var plan = await RangeResolver.PlanAsync(db, r, time, http.RequestAborted);
            var rows = await Interactions.Data.QueryAsync(db, r.ProviderId!.Value, plan, r, RollupSplit.For(plan, config), http.RequestAborted);
            var response = new Interactions.Response(r.ProviderId.Value, plan)
            {
                Buckets = BucketFill.Fill(plan, rows.Where(x => x.Bucket is not null), x => x.Bucket!.Value, (b, row) => new Interactions.Bucket(b, row)),
                Totals = rows.FirstOrDefault(x => x.Bucket is null) ?? new Interactions.Metrics(),
            };
            await Send(http, response);
        });

        app.MapPost("/Dashboard/Messages", async (HttpContext http) =>
        {
            var r = (await http.Request.ReadFromJsonAsync<Messages.Request>(Json, http.RequestAborted))!;
            var plan = await RangeResolver.PlanAsync(db, r, time, http.RequestAborted);
            var rows = await Messages.Data.QueryAsync(db, r.ProviderId!.Value, plan, r, RollupSplit.For(plan, config), http.RequestAborted);
            var response = new Messages.Response(r.ProviderId.Value, plan)
            {
                Buckets = BucketFill.Fill(plan, rows.Where(x => x.Bucket is not null), x => x.Bucket!.Value, (b, row) => new Messages.Bucket(b, row)),
                Totals = rows.FirstOrDefault(x => x.Bucket is null) ?? new Messages.Metrics(),
            };
            await Send(http, response);
        });

        app.MapPost("/Dashboard/BotAccessStats", async (HttpContext http) =>
        {
            var r = (await http.Request.ReadFromJsonAsync<BotAccess.Request>(Json, http.RequestAborted))!;
            var plan = await RangeResolver.PlanAsync(db, r, time, http.RequestAborted);
            var rows = await BotAccess.Data.QueryAsync(db, r.ProviderId!.Value, plan, r, RollupSplit.For(plan, config), http.RequestAborted);
            var response = new BotAccess.Response(r.ProviderId.Value, plan)
            {
                Buckets = BucketFill.Fill(plan, rows.Where(x => x.Grp == BotAccess.Data.BucketGroup), x => x.Bucket!.Value, (b, row) => new BotAccess.Bucket(b, row)),
                Totals = rows.FirstOrDefault(x => x.Grp == BotAccess.Data.TotalsGroup) ?? new BotAccess.Metrics(),
                Rows = rows.Where(x => x.Grp == BotAccess.Data.BotGroup).Select(x => new BotAccess.BotRow(x) { BotId = x.BotId!.Value, Name = x.Name }).ToList(),
            };
            await Send(http, response);
        });

        app.Run();
    }

    // The service answers POST with 201 (SPEC §3); so does the baseline.
    private static async Task Send<T>(HttpContext http, T response)
    {
        http.Response.StatusCode = StatusCodes.Status201Created;
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body, response, Json, http.RequestAborted);
    }
}
