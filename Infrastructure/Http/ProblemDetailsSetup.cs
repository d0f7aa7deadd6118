using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Http;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddKoopidProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier);
            if (ctx.ProblemDetails.Status is { } status)
                ctx.ProblemDetails.Type ??= Problems.TypeFor(status);
            ctx.ProblemDetails.Detail ??= ctx.ProblemDetails.Status switch
            {
                401 => "Send a valid bearer token (Authorization: Bearer …) or API key (X-Api-Key header or apiKey query parameter).",
                403 => "Your credentials are valid but do not allow this endpoint or this provider.",
                404 => "No such resource.",
                405 => "This path does not accept that HTTP method.",
                _ => null,
            };
        });
        services.AddExceptionHandler<StoreUnavailableHandler>();
        return services;
    }
}

/// <summary>
/// Turns failures that are not the caller's fault into the right problem: the database being unreachable or
/// the pool exhausted → 503 with Retry-After (Npgsql reconnects by itself once the server is back); an
/// oversized or broken request body → its 4xx. Anything else is logged (without request data) as a 500.
/// </summary>
public sealed class StoreUnavailableHandler(ILogger<StoreUnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        switch (exception)
        {
            case RequestValidationException invalid:
                await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Bad Request", invalid.Message,
                    new Dictionary<string, object?>
                    {
                        ["instance"] = context.Request.Path.Value,
                        ["errors"] = invalid.Failures.Select(f => new ProblemError(ToCamel(f.PropertyName), f.ErrorMessage)).ToArray(),
                    });
                return true;
            case BadHttpRequestException bad:
                await Problems.WriteAsync(context, bad.StatusCode,
                    bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                    bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                        ? $"The request body exceeds the limit of {context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes; split it into smaller batches."
                        : "The request could not be read.");
                return true;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                // The client went away; there is nobody to answer.
                return true;
            case var e when IsStoreUnavailable(e):
                logger.LogWarning("Database unavailable: {Reason}", e.GetBaseException().Message);
                context.Response.Headers.RetryAfter = "5";
                await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Database unavailable",
                    "The analytics store cannot be reached right now. Retry in a few seconds.");
                return true;
            default:
                // PostgreSQL's own message names the failing statement part, never parameter values: safe and useful to log.
                logger.LogError("Unhandled {ExceptionType} at {Path}: {Reason}", exception.GetType().Name, context.Request.Path.Value,
                    exception is PostgresException pg ? $"{pg.SqlState} {pg.MessageText}" : "(details withheld: may contain request data)");
                await Problems.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal error",
                    "The request failed unexpectedly; the trace id identifies it in the service logs.");
                return true;
        }
    }

    private static string ToCamel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    public static bool IsStoreUnavailable(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException } => true,
        NpgsqlException n when n.Message.Contains("pool", StringComparison.OrdinalIgnoreCase) => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" or "08000" } => true,
        System.Net.Sockets.SocketException or TimeoutException => true,
        _ when e.InnerException is not null => IsStoreUnavailable(e.InnerException),
        _ => false,
    };
}
