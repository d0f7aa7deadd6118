using System.ComponentModel;
using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.AgentAccessStats;

public sealed class Request : DashboardRequest
{
    [Description("Only these agents (empty = all). Unknown ids match nothing.")]
    public long[]? AgentId { get; set; }
}

public sealed class Validator : DashboardRequestValidator<Request>
{
    public const int MaxAgentIds = 200;

    public Validator()
    {
        RuleFor(r => r.AgentId).Must(v => v is null || v.Length <= MaxAgentIds)
            .WithName("agentId").WithMessage($"agentId takes at most {MaxAgentIds} values.");
    }
}

/// <summary>Agent presence per bucket (SPEC §4: logins to loginAt, logged-in time split by overlap).</summary>
public record Metrics
{
    public long Logins { get; init; }
    public long UniqueAgents { get; init; }
    public double LoggedInSeconds { get; init; }
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
public sealed record AgentRow
{
    public long AgentId { get; init; }
    public string? Name { get; init; }
    public long Logins { get; init; }
    /// <summary>Epoch ms of the earliest login among the agent's sessions that overlap the range (may precede start).</summary>
    public long? FirstLoginAt { get; init; }
    /// <summary>Epoch ms of the latest logout among those sessions; null while one of them is still open, or when there is none.</summary>
    public long? LastLogoutAt { get; init; }
    public double LoggedInSeconds { get; init; }
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
    public IReadOnlyList<AgentRow> Rows { get; init; } = [];
}
