using System.Diagnostics;
using KoopidDashboard.Infrastructure.Security;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// One structured line per request: method, path, status, duration, the caller's role/provider and the Koopid
/// reporting API's <c>partnerId</c>. Never the query string (it may carry <c>apiKey</c>), headers, or bodies (PII).
/// ASP.NET Core's own request logging is turned down to Warning in appsettings.json for the same reason.
/// </summary>
public sealed class AccessLog(RequestDelegate next, ILogger<AccessLog> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var partnerId = context.Request.Query.FirstOrDefault(q => string.Equals(q.Key, "partnerId", StringComparison.OrdinalIgnoreCase)).Value.ToString();
            logger.LogInformation("{Method} {Path} → {Status} in {ElapsedMs:F1} ms (subject {Subject}, provider {ProviderId}, partner {PartnerId})",
                context.Request.Method, context.Request.Path.Value, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.User.FindFirst(KoopidRoles.SubjectClaim)?.Value ?? "-",
                context.User.FindFirst(KoopidRoles.ProviderClaim)?.Value ?? "-",
                partnerId.Length is > 0 and <= 100 ? partnerId : "-");
        }
    }
}
