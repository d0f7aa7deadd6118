using FastEndpoints;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// How every dashboard slice answers (SPEC §3): POST → 201 Created and GET → 200 OK, as the seed API does;
/// JSON by default, CSV with <c>Accept: text/csv</c> (the buckets, or the rows with <c>?csv=rows</c>).
/// </summary>
public static class DashboardResponses
{
    public static Task SendAsync<T>(HttpContext http, T response, CancellationToken ct) where T : notnull
    {
        var status = HttpMethods.IsPost(http.Request.Method) ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        if (!WantsCsv(http.Request))
            return http.Response.SendAsync(response, status, cancellation: ct);

        var table = CsvWriter.PickTable(response, http.Request.Query["csv"].ToString());
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/csv; charset=utf-8";
        return http.Response.WriteAsync(CsvWriter.Write(table), ct);
    }

    public static bool WantsCsv(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
}
