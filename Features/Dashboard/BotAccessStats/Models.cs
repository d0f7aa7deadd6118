using System.ComponentModel;
using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.BotAccessStats;

public sealed class Request : DashboardRequest
{
    [Description("Only these bots (empty = all). Unknown ids match nothing.")]
    public long[]? BotId { get; set; }
}

public sealed class Validator : DashboardRequestValidator<Request>
{
    public const int MaxBotIds = 200;

    public Validator()
    {
        RuleFor(r => r.BotId).Must(v => v is null || v.Length <= MaxBotIds)
            .WithName("botId").WithMessage($"botId takes at most {MaxBotIds} values.");
    }
}

/// <summary>Bot-session metrics of SPEC §4, attributed to the bucket holding the session's startedAt.</summary>
public record Metrics
{
    public long Sessions { get; init; }
    public long Contained { get; init; }
    public long Escalated { get; init; }
    public long Abandoned { get; init; }
    public double? ContainmentRate { get; init; }
    public double? DurationSecondsAvg { get; init; }
    public double? TurnsAvg { get; init; }
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

/// <summary>One bot over the whole range.</summary>
public sealed record BotRow : Metrics
{
    public BotRow(Metrics metrics) : base(metrics) { }

    public long BotId { get; init; }
    public string? Name { get; init; }
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
    public IReadOnlyList<BotRow> Rows { get; init; } = [];
}
