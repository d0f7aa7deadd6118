using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.AgentSessionStats;

/// <summary>
/// agentId[] narrows everything; channel[], interactionType[], queueId[] and botId[] narrow the interactions (and the
/// messages sent in them), not the logged-in time.
/// </summary>
public sealed class Request : FilteredDashboardRequest
{
}

public sealed class Validator : DashboardRequestValidator<Request>;

/// <summary>Agent work: interactions attributed to answeredAt, messages to sentAt, logged-in time split by overlap.</summary>
public record Metrics
{
    public long Handled { get; init; }
    public double? HandleSecondsAvg { get; init; }
    public double? HandleSecondsP50 { get; init; }
    public double? HandleSecondsP90 { get; init; }
    public double? FirstResponseSecondsAvg { get; init; }
    public double? FirstResponseSecondsP50 { get; init; }
    public double? FirstResponseSecondsP90 { get; init; }
    public long MessagesSent { get; init; }
    public double LoggedInSeconds { get; init; }
    public double? Occupancy { get; init; }
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

/// <summary>One agent over the whole range.</summary>
public sealed record AgentRow : Metrics
{
    public AgentRow(Metrics metrics) : base(metrics) { }

    public long AgentId { get; init; }
    public string? Name { get; init; }
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
    public IReadOnlyList<AgentRow> Rows { get; init; } = [];
}
