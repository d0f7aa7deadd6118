using Dapper;
using KoopidDashboard.Infrastructure.Http;
using FluentValidation.Results;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// Turns a request's start/end/interval/tz into a <see cref="BucketPlan"/>, applying SPEC §3's defaults and per-call
/// limits. The validator runs the same checks on what the caller wrote; the handler resolves defaults (now, the
/// provider's zone), so both agree on one set of rules.
/// </summary>
public static class RangeResolver
{
    public const int MaxBuckets = 2000;
    public static readonly TimeSpan MaxSubDayRange = TimeSpan.FromDays(31);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    /// <summary>Reads the provider's zone, resolves the plan, or throws <see cref="RequestValidationException"/> (→ 400 problem with errors).</summary>
    public static Task<BucketPlan> PlanAsync(NpgsqlDataSource db, DashboardRequest request, TimeProvider time, CancellationToken ct) =>
        PlanAsync(db, request.ProviderId, request.Start, request.End, request.Interval, request.Tz, time, ct);

    /// <summary>The same for slices whose contract fixes the interval (per local day, or one range): they pass it here.</summary>
    public static async Task<BucketPlan> PlanAsync(NpgsqlDataSource db, long? providerId, long? start, long? end, string? interval, string? tz,
        TimeProvider time, CancellationToken ct)
    {
        string? providerZone = null;
        if (tz is null && providerId is { } id)
        {
            await using var connection = await db.OpenConnectionAsync(ct);
            providerZone = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT time_zone FROM providers WHERE provider_id = @ProviderId", new { ProviderId = id }, cancellationToken: ct));
        }
        var failures = TryResolve(start, end, interval, tz, providerZone, time.GetUtcNow().UtcDateTime, out var plan);
        return failures.Count == 0 ? plan! : throw new RequestValidationException(failures);
    }

    public static List<ValidationFailure> TryResolve(long? startMs, long? endMs, string? intervalName, string? tz, string? providerZone, DateTime now, out BucketPlan? plan)
    {
        plan = null;
        var failures = new List<ValidationFailure>();
        if (startMs is < 0 or > Epoch.MaxMs)
            failures.Add(new("start", $"start must be epoch milliseconds between 0 and {Epoch.MaxMs}."));
        if (endMs is < 0 or > Epoch.MaxMs)
            failures.Add(new("end", $"end must be epoch milliseconds between 0 and {Epoch.MaxMs}."));
        var interval = intervalName is null ? null : BucketInterval.Parse(intervalName);
        if (intervalName is not null && interval is null)
            failures.Add(new("interval", $"interval must be one of {BucketInterval.Names}."));
        var zone = tz is null ? TimeZones.Find(providerZone) ?? TimeZoneInfo.Utc : TimeZones.Find(tz);
        if (zone is null)
            failures.Add(new("tz", "tz must be an IANA time zone such as America/New_York or Asia/Kolkata."));
        if (failures.Count > 0)
            return failures;

        var end = endMs is { } e ? Epoch.FromMs(e) : DateTime.SpecifyKind(now, DateTimeKind.Utc);
        var start = startMs is { } s ? Epoch.FromMs(s) : end.AddDays(-1);
        if (start >= end)
        {
            failures.Add(new("start", "start must be before end (the range is [start, end) in epoch milliseconds)."));
            return failures;
        }

        var length = end - start;
        interval ??= length <= TimeSpan.FromDays(2) ? BucketInterval.Hour : length <= TimeSpan.FromDays(92) ? BucketInterval.Day : BucketInterval.Week;
        if (interval.IsSubDay && length > MaxSubDayRange)
        {
            failures.Add(new("end", $"A {interval.Name} interval allows at most 31 days per call; this range is {length.TotalDays:0.#} days. "
                + "Split it into calls of 31 days or less, or use P1D."));
            return failures;
        }
        if (length > MaxRange)
        {
            failures.Add(new("end", $"A call covers at most 400 days; this range is {length.TotalDays:0.#} days. Split it into calls of 400 days or less."));
            return failures;
        }

        plan = BucketPlan.Create(start, end, interval, zone!);
        if (plan.Buckets.Count > MaxBuckets)
        {
            failures.Add(new("interval", $"This range has {plan.Buckets.Count} {interval.Name} buckets; a call returns at most {MaxBuckets}. "
                + "Use a longer interval or split the range into shorter calls."));
            plan = null;
        }
        return failures;
    }
}
