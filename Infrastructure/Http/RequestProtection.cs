using System.Globalization;
using System.Threading.RateLimiting;
using KoopidDashboard.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>Configuration section <c>Protection</c>.</summary>
public sealed class ProtectionOptions
{
    public const string Section = "Protection";

    /// <summary>Requests each credential (API key or token subject) may make per minute; anonymous callers share a budget per address.</summary>
    public int RequestsPerMinute { get; set; } = 1200;

    /// <summary>A request running longer than this is cancelled (its query too) and answered 503.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Abuse limits: per-credential rate limiting (429 + Retry-After), request timeouts, security headers.</summary>
public static class RequestProtection
{
    public static IServiceCollection AddKoopidProtection(this IServiceCollection services, IConfiguration configuration)
    {
        // Options are read when the first request arrives (not now) so environment and test overrides apply.
        services.Configure<ProtectionOptions>(configuration.GetSection(ProtectionOptions.Section));
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetFixedWindowLimiter(PartitionKey(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = Options(context).RequestsPerMinute,
                        Window = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    }));
            limiter.OnRejected = async (rejected, ct) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"This credential may make {Options(rejected.HttpContext).RequestsPerMinute} requests per minute. Retry in {retryAfter} s.");
            };
        });
        services.AddRequestTimeouts();
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<ProtectionOptions>>((timeouts, protection) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = protection.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                // Like every other 503 of the service: a problem with Retry-After, so clients back off and retry.
                WriteTimeoutResponse = context =>
                {
                    context.Response.Headers.RetryAfter = "5";
                    return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Request timed out",
                        $"The request took longer than {protection.Value.RequestTimeout.TotalSeconds:0} s and was cancelled. Retry in a few seconds.");
                },
            });
        return services;
    }

    private static ProtectionOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ProtectionOptions>>().Value;

    /// <summary>The credential, not the address: many dashboards share a proxy, one key must not starve another.</summary>
    private static string PartitionKey(HttpContext context) =>
        context.User.FindFirst(KoopidRoles.SubjectClaim)?.Value is { } subject
            ? "sub:" + subject
            : "ip:" + context.Connection.RemoteIpAddress;

    /// <summary>Headers every response carries; API answers are never cached by intermediaries.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/scalar"))
            {
                // The API serves data, not pages; the HTML plot view is meant to be embedded as text by the caller.
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        await next(context);
    });
}
