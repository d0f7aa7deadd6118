using System.Diagnostics;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// RFC 9457 problem responses written outside FastEndpoints' validation path (tenancy, ingest, database outages).
/// Titles and types are stable: clients may switch on them.
/// </summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        if (context.Response.HasStarted)
            return Task.CompletedTask;
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>())
        {
            ["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier,
        };
        return Results.Problem(detail: detail, statusCode: status, title: title, type: TypeFor(status), extensions: all)
            .ExecuteAsync(context);
    }

    /// <summary>The RFC 9110 section for each status, as ASP.NET Core's own problem details use.</summary>
    public static string TypeFor(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        429 => "https://tools.ietf.org/html/rfc6585#section-4",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };
}

/// <summary>One entry of a problem's <c>errors</c> list (name = the camelCase field): a named type so the JSON is source-generated.</summary>
public sealed record ProblemError(string Name, string Reason);
