using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;
using MessagesData = KoopidDashboard.Features.Dashboard.RedactedMessages.Data;

namespace KoopidDashboard.Features.Dashboard.RedactedMessagesWithPlot;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration, ILogger<Endpoint> logger) : Endpoint<Request, Response>
{
    /// <summary>extractedMessages holds at most this many rows; RedactedMessages pages or streams the rest.</summary>
    public const int MaxExtracted = 1000;

    /// <summary>Legend order and colours of the sender view (senderType of SPEC §6).</summary>
    private static readonly (string Type, string Color)[] Senders =
        [("customer", "#1f77b4"), ("agent", "#ff7f0e"), ("bot", "#2ca02c"), ("system", "#7f7f7f")];

    public override void Configure()
    {
        Get("/Dashboard/{providerId}/RedactedMessagesWithPlot");
        // SPEC §5: the redacted-data endpoints are Provider Admin only; a KoopidAdmin gets 403.
        Roles(KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(200, "application/json"));
        Summary(s =>
        {
            s.Summary = "Redacted messages with a self-contained HTML/SVG plot";
            s.Description = "{ extractedMessages, htmlView, status }, the seed's keys. extractedMessages: the range's first 1000 messages in "
                + "(sentAt, messageId) order, shaped as RedactedMessages rows (page the rest with RedactedMessages). htmlView: an HTML page with "
                + "an inline SVG bar chart (axes, labels, title; no script, no external fetch, all text escaped) counting every message of the "
                + "range: viewtype=daily (default) per local day in tz, hourly per local hour of day 0–23, sender per local day stacked by "
                + "senderType with a legend; any other viewtype is daily. status: \"success\", \"No redacted messages\" (empty range; the page "
                + "still shows empty axes) or \"Failed to get plot\" (htmlView empty). Provider Admin only. "
                + "Example: GET /Dashboard/1001/RedactedMessagesWithPlot?start=1772928000000&end=1773532800000&tz=Europe/Berlin&viewtype=sender";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772928000000, End = 1773532800000, Tz = "Europe/Berlin", Viewtype = "sender" };
            s.ResponseExamples[200] = new Response { ExtractedMessages = [], HtmlView = "<!DOCTYPE html>\n<html lang=\"en\">…<svg …>…</svg>…</html>", Status = Response.Success };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var plan = await RangeResolver.PlanAsync(db, providerId, r.Start, r.End, BucketInterval.Day.Name, r.Tz, time, ct);
        var view = r.Viewtype?.Trim().ToLowerInvariant() switch { "hourly" => "hourly", "sender" => "sender", _ => "daily" };

        var counts = await Data.CountsAsync(db, providerId, plan, view == "hourly", RollupSplit.For(plan, configuration), ct);
        var messages = counts.Count == 0 ? [] : await MessagesData.PageAsync(db, providerId, plan.Start, plan.End, null, MaxExtracted, ct);

        string html;
        try
        {
            html = SvgChart.Page(Chart(plan, view, counts));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError("Plot rendering failed: {ExceptionType}", e.GetType().Name);
            await DashboardResponses.SendAsync(HttpContext, new Response { ExtractedMessages = messages, HtmlView = "", Status = Response.PlotFailed }, ct);
            return;
        }
        await DashboardResponses.SendAsync(HttpContext, new Response
        {
            ExtractedMessages = messages,
            HtmlView = html,
            Status = counts.Count == 0 ? Response.NoMessages : Response.Success,
        }, ct);
    }

    public static ChartSpec Chart(BucketPlan plan, string view, IReadOnlyList<Data.CountRow> counts)
    {
        var total = counts.Sum(c => c.Messages);
        var from = TimeZones.ToLocal(plan.Start, plan.Zone);
        var to = TimeZones.ToLocal(plan.End, plan.Zone);
        var subtitle = $"{plan.Zone.Id} · {from:yyyy-MM-dd HH:mm} to {to:yyyy-MM-dd HH:mm} · {total} messages";
        var (categories, count) = view == "hourly"
            ? (Enumerable.Range(0, 24).Select(h => h.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToList(), 24)
            : (plan.Buckets.Select(b => TimeZones.ToLocal(b.Start, plan.Zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList(), plan.Buckets.Count);
        // width_bucket numbers days from 1, hours are 0..23
        int Index(Data.CountRow c) => view == "hourly" ? c.Category : c.Category - 1;

        IReadOnlyList<ChartSeries> series = view == "sender"
            ? Senders.Select(s => new ChartSeries(s.Type, s.Color, Values(count, counts.Where(c => c.SenderType == s.Type), Index))).ToList()
            : [new ChartSeries("messages", Senders[0].Color, Values(count, counts, Index))];
        return view switch
        {
            "hourly" => new ChartSpec("Redacted messages per local hour of day", subtitle, $"Local hour of day ({plan.Zone.Id})", "Messages", categories, series, false),
            "sender" => new ChartSpec("Redacted messages per local day by sender", subtitle, $"Local day ({plan.Zone.Id})", "Messages", categories, series, true),
            _ => new ChartSpec("Redacted messages per local day", subtitle, $"Local day ({plan.Zone.Id})", "Messages", categories, series, false),
        };
    }

    private static long[] Values(int count, IEnumerable<Data.CountRow> rows, Func<Data.CountRow, int> index)
    {
        var values = new long[count];
        foreach (var row in rows)
            values[index(row)] += row.Messages;
        return values;
    }
}
