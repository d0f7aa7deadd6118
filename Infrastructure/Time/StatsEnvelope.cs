using System.Text.Json.Serialization;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// The envelope every stats response shares (SPEC §3): <c>{ providerId, start, end, interval, tz, buckets, totals, rows? }</c>.
/// Slices derive their Response from it and add <c>Buckets</c>, <c>Totals</c> and, where they have them, <c>Rows</c>.
/// </summary>
public abstract record StatsEnvelope
{
    // Envelope first in the JSON, whatever the slice adds.
    [JsonPropertyOrder(-5)] public long ProviderId { get; init; }
    [JsonPropertyOrder(-4)] public long Start { get; init; }
    [JsonPropertyOrder(-3)] public long End { get; init; }
    [JsonPropertyOrder(-2)] public string Interval { get; init; } = "";
    [JsonPropertyOrder(-1)] public string Tz { get; init; } = "";

    protected StatsEnvelope() { }

    protected StatsEnvelope(long providerId, BucketPlan plan)
    {
        ProviderId = providerId;
        Start = plan.StartMs;
        End = plan.EndMs;
        Interval = plan.Interval.Name;
        Tz = plan.Zone.Id;
    }
}

public static class BucketFill
{
    /// <summary>
    /// One entry per planned bucket, in order, including empty ones: SQL returns only buckets that have data, keyed by
    /// their 1-based <c>width_bucket</c> number; <paramref name="empty"/> supplies zeros and nulls for the rest.
    /// </summary>
    public static List<TBucket> Fill<TRow, TBucket>(BucketPlan plan, IEnumerable<TRow> rows, Func<TRow, int> bucketNumber,
        Func<TimeBucket, TRow?, TBucket> build) where TRow : class
    {
        var byNumber = rows.ToDictionary(bucketNumber);
        return plan.Buckets.Select((bucket, i) => build(bucket, byNumber.GetValueOrDefault(i + 1))).ToList();
    }
}
