using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.Messages;

/// <summary>Filters apply through the message's interaction: a message whose interaction is unknown matches no filter.</summary>
public sealed class Request : FilteredDashboardRequest
{
}

public sealed class Validator : DashboardRequestValidator<Request>;

/// <summary>Message metrics, attributed to the bucket holding sentAt (SPEC §4).</summary>
public record Metrics
{
    public long Total { get; init; }
    public long FromCustomer { get; init; }
    public long FromAgent { get; init; }
    public long FromBot { get; init; }
    public long FromSystem { get; init; }
    /// <summary>Distinct interactions the messages belong to.</summary>
    public long Interactions { get; init; }
    /// <summary>total ÷ interactions; null when there is no message.</summary>
    public double? PerInteraction { get; init; }
    public long RedactedEntities { get; init; }
}

public sealed record Bucket : Metrics
{
    public Bucket(TimeBucket bucket, Metrics? metrics) : base(metrics ?? new Metrics())
    {
        Start = bucket.StartMs;
        End = bucket.EndMs;
    }

    public long Start { get; init; }
    public long End { get; init; }
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
}
