using System.ComponentModel;
using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.Analytics.Run;

public sealed class Request : DashboardRequest, IFilteredRequest
{
    [Description("The analysis (route): volume, sentiment, waitTime, handleTime, firstResponse, heatmap, channels, intents, topics, csat, aggregate.")]
    public string AnalysisType { get; set; } = "";

    public string[]? Channel { get; set; }
    public string[]? InteractionType { get; set; }
    public long[]? QueueId { get; set; }
    public long[]? AgentId { get; set; }
    public long[]? BotId { get; set; }

    [Description("Filter: interactions with one of these intents (unknown values match nothing).")]
    public string[]? Intent { get; set; }

    [Description("Filter: interactions with one of these topics (unknown values match nothing).")]
    public string[]? Topic { get; set; }

    [Description("aggregate (required) and heatmap (optional): catalogue metric names, see GET /Dashboard/Analytics.")]
    public string[]? Metrics { get; set; }

    [Description("aggregate: up to two of channel, interactionType, queueId, agentId, botId, intent, topic.")]
    public string[]? GroupBy { get; set; }

    [Description("Options in one string, for GET: comma-separated name:value;value options, e.g. metrics:offered;answered,groupBy:queueId.")]
    public string? Data { get; set; }
}

public sealed class Validator : DashboardRequestValidator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Intent).Must(v => v is null || v.Length <= 200 && v.All(x => x is { Length: <= 100 }))
            .WithName("intent").WithMessage("intent takes at most 200 values of at most 100 characters.");
        RuleFor(r => r.Topic).Must(v => v is null || v.Length <= 200 && v.All(x => x is { Length: <= 100 }))
            .WithName("topic").WithMessage("topic takes at most 200 values of at most 100 characters.");
        // An unknown analysisType is a 404 from the handler (listing the valid ones), not a 400.
        RuleFor(r => r).Custom((r, context) =>
        {
            if (Catalogue.FindAnalysis(r.AnalysisType) is null)
                return;
            foreach (var failure in RunOptions.Resolve(r, out _))
                context.AddFailure(failure);
        });
    }
}

/// <summary>
/// One response shape for every analysis. Cells are flat name → value maps (counts are integers, averages and ratios
/// null without a sample) so CSV and JSON share the columns; which of buckets/totals/rows an analysis fills is in
/// docs/metrics/Analytics.md.
/// </summary>
public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public string AnalysisType { get; init; } = "";

    /// <summary>The catalogue metrics computed, in request order.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    /// <summary>The group keys the rows carry (aggregate: the request's groupBy; breakdowns: their dimension; heatmap: weekday, hour).</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    /// <summary>Per bucket, in order, empty buckets included: start, end (epoch ms), then the metrics.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Buckets { get; init; } = [];

    /// <summary>The metrics over the whole range.</summary>
    public IReadOnlyDictionary<string, object?> Totals { get; init; } = new Dictionary<string, object?>();

    /// <summary>Analysis rows: aggregate per bucket and group; breakdown per key; histogram bins; bands; heatmap cells.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows { get; init; } = [];
}
