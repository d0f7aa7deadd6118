using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.Interactions;

public sealed class Request : FilteredDashboardRequest
{
}

public sealed class Validator : DashboardRequestValidator<Request>;

/// <summary>Interaction metrics of SPEC §4, attributed to the bucket holding startedAt.</summary>
public record Metrics
{
    public long Started { get; init; }
    public long Answered { get; init; }
    public long BotOnly { get; init; }
    public long Abandoned { get; init; }
    public double? WaitSecondsAvg { get; init; }
    public double? HandleSecondsAvg { get; init; }
    public double? DurationSecondsAvg { get; init; }
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
