using System.ComponentModel;
using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.Intents;

public sealed class Request : FilteredDashboardRequest
{

    [Description("How many of the busiest intents the buckets break down (1..100). Default 10.")]
    public int? Limit { get; set; }
}

public sealed class Validator : DashboardRequestValidator<Request>
{
    public Validator() =>
        RuleFor(r => r.Limit).InclusiveBetween(1, 100).When(r => r.Limit is not null).WithName("limit").WithMessage("limit must be between 1 and 100.");
}

/// <summary>An intent's figures over the range (SPEC §4, attributed to startedAt).</summary>
public sealed record Row
{
    public string Intent { get; init; } = "";
    public long Interactions { get; init; }
    /// <summary>interactions ÷ all (filtered) interactions in the range, those without an intent included.</summary>
    public double? Share { get; init; }
    public long BotContained { get; init; }
    public double? AvgSentiment { get; init; }
}

public sealed record Totals
{
    public long Interactions { get; init; }
    public long WithoutIntent { get; init; }
    public long BotContained { get; init; }
    public double? AvgSentiment { get; init; }
}

/// <summary>A bucket: all interactions, and those of each top intent (same keys, same order, in every bucket).</summary>
public sealed record Bucket
{
    public long Start { get; init; }
    public long End { get; init; }
    public long Interactions { get; init; }
    public IReadOnlyDictionary<string, long> ByIntent { get; init; } = new Dictionary<string, long>();
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    /// <summary>The intents broken down in the buckets, busiest first.</summary>
    public IReadOnlyList<string> TopIntents { get; init; } = [];
    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Totals Totals { get; init; } = new();
    public IReadOnlyList<Row> Rows { get; init; } = [];
}
