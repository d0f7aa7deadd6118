using System.ComponentModel;
using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.AgentQueueStats;

public sealed class Request : FilteredDashboardRequest
{

    [Description("Service-level threshold in seconds (1..86400) for every queue. Default: each queue's own serviceLevelSeconds.")]
    public int? ServiceLevelSeconds { get; set; }
}

public sealed class Validator : DashboardRequestValidator<Request>
{
    public const int MaxServiceLevelSeconds = 86_400;

    public Validator()
    {
        RuleFor(r => r.ServiceLevelSeconds).InclusiveBetween(1, MaxServiceLevelSeconds).When(r => r.ServiceLevelSeconds is not null)
            .WithName("serviceLevelSeconds").WithMessage($"serviceLevelSeconds must be between 1 and {MaxServiceLevelSeconds} (one day).");
    }
}

/// <summary>Queue metrics of SPEC §4, attributed to the bucket holding queuedAt.</summary>
public record Metrics
{
    public long Offered { get; init; }
    public long Answered { get; init; }
    public long Abandoned { get; init; }
    public double? ServiceLevel { get; init; }
    public double? AbandonRate { get; init; }
    public double? WaitSecondsAvg { get; init; }
    public double? WaitSecondsMax { get; init; }
    public double? WaitSecondsP50 { get; init; }
    public double? WaitSecondsP90 { get; init; }
    public double? AbandonSecondsAvg { get; init; }
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

/// <summary>One queue over the whole range; <c>queueId</c> null gathers interactions queued without a queue id.</summary>
public sealed record QueueRow : Metrics
{
    public QueueRow(Metrics metrics) : base(metrics) { }

    public long? QueueId { get; init; }
    public string? Name { get; init; }
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    /// <summary>The threshold the request set, or null when each queue's own applied.</summary>
    public int? ServiceLevelSeconds { get; init; }
    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
    public IReadOnlyList<QueueRow> Rows { get; init; } = [];
}
