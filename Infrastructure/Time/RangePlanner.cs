using FluentValidation.Results;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// Validator-side range checks for slices whose contract fixes the interval (ConversationStats is per local day, TopWords
/// and the redacted-message lists are one range), so they expose no <c>interval</c> parameter that would do nothing.
/// Their handlers resolve the plan with <see cref="RangeResolver.PlanAsync(Npgsql.NpgsqlDataSource, long?, long?, long?, string?, string?, TimeProvider, CancellationToken)"/>.
/// </summary>
public static class RangePlanner
{
    /// <summary>The validator's view: checks what the caller wrote (start, end, tz, range limits) with a fixed reference time.</summary>
    public static List<ValidationFailure> Check(long? start, long? end, BucketInterval interval, string? tz) =>
        RangeResolver.TryResolve(start, end ?? (start is { } s ? s + 1 : null), interval.Name, tz, null, DateTime.UtcNow, out _);
}
