using Dapper;
using FluentValidation.Results;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// For slices whose contract fixes the interval (ConversationStats is per local day, TopWords and the redacted-message
/// lists are one range): the same defaults, limits and provider-zone fallback as <see cref="RangeResolver"/>, without
/// exposing an <c>interval</c> parameter that would do nothing.
/// </summary>
public static class RangePlanner
{
    /// <summary>
    /// Resolves <c>[start, end)</c> in <paramref name="tz"/> (else the provider's zone, else UTC). On failure the plan is null
    /// and the failures are for the endpoint's <c>AddError</c> + <c>ThrowIfAnyErrors</c>: FastEndpoints 8 answers a
    /// <c>ValidationFailureException</c> thrown from a handler with an empty <c>errors</c> list.
    /// </summary>
    public static async Task<(BucketPlan? Plan, List<ValidationFailure> Failures)> PlanAsync(NpgsqlDataSource db, long providerId, long? start, long? end, BucketInterval interval,
        string? tz, TimeProvider time, CancellationToken ct)
    {
        string? providerZone = null;
        if (tz is null)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            providerZone = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT time_zone FROM providers WHERE provider_id = @ProviderId", new { ProviderId = providerId }, cancellationToken: ct));
        }
        var failures = RangeResolver.TryResolve(start, end, interval.Name, tz, providerZone, time.GetUtcNow().UtcDateTime, out var plan);
        return (plan, failures);
    }

    /// <summary>The validator's view: checks what the caller wrote (start, end, tz, range limits) with a fixed reference time.</summary>
    public static List<ValidationFailure> Check(long? start, long? end, BucketInterval interval, string? tz) =>
        RangeResolver.TryResolve(start, end ?? (start is { } s ? s + 1 : null), interval.Name, tz, null, DateTime.UtcNow, out _);
}
