using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.InteractionType;

public sealed class Request : FilteredDashboardRequest
{
}

public sealed class Validator : DashboardRequestValidator<Request>;

/// <summary>One interaction type's figures (SPEC §4, attributed to startedAt).</summary>
public record TypeMetrics
{
    public long Interactions { get; init; }
    /// <summary>interactions ÷ all interactions of the same bucket (or range); null when there are none.</summary>
    public double? Share { get; init; }
    public double? DurationSecondsAvg { get; init; }
}

/// <summary>A bucket (or the totals): all interactions, then the same figures per type under <c>byType</c>.</summary>
public record Metrics
{
    public long Interactions { get; init; }
    public double? DurationSecondsAvg { get; init; }
    /// <summary>Every type seen in the range, in the order of <see cref="Response.Rows"/>, so CSV columns are stable.</summary>
    public IReadOnlyDictionary<string, TypeMetrics> ByType { get; init; } = new Dictionary<string, TypeMetrics>();
}

public sealed record Bucket : Metrics
{
    public Bucket(TimeBucket bucket, Metrics metrics) : base(metrics)
    {
        Start = bucket.StartMs;
        End = bucket.EndMs;
    }

    public long Start { get; init; }
    public long End { get; init; }
}

public sealed record Row : TypeMetrics
{
    public string InteractionType { get; init; } = "";
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
    public IReadOnlyList<Row> Rows { get; init; } = [];
}
