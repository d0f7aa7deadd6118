using System.ComponentModel;
using FastEndpoints;
using FluentValidation;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.ConversationStats;

/// <summary>GET query (and the route's providerId). The interval is fixed: one bucket per local day in <c>tz</c>.</summary>
public sealed class Request : IProviderScoped
{
    [Description("Tenant id (route). Must be the caller's own provider.")]
    public long? ProviderId { get; set; }

    [Description("Range start, epoch milliseconds UTC (inclusive). Default: end − 24 h.")]
    public long? Start { get; set; }

    [Description("Range end, epoch milliseconds UTC (exclusive). Default: now.")]
    public long? End { get; set; }

    [Description("IANA time zone whose local midnights bound the days. Default: the provider's time zone.")]
    public string? Tz { get; set; }

    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ProviderId).GreaterThan(0).When(r => r.ProviderId is not null).WithMessage("providerId must be a positive integer.");
        RuleFor(r => r.PartnerId).MaximumLength(100);
        RuleFor(r => r).Custom((r, context) =>
        {
            foreach (var failure in RangePlanner.Check(r.Start, r.End, BucketInterval.Day, r.Tz))
                context.AddFailure(failure);
        });
    }
}

/// <summary>The conversation metrics of one day (or of the whole range in <c>totals</c>); see docs/metrics/ConversationStats.md.</summary>
public record Metrics
{
    public long Conversations { get; init; }
    public long Messages { get; init; }
    public double? MessagesPerConversationAvg { get; init; }
    public double? DurationSecondsAvg { get; init; }
    public long RedactedEntities { get; init; }
    public IReadOnlyDictionary<string, long> RedactedEntitiesByType { get; init; } = new Dictionary<string, long>();
    public double? SentimentAvg { get; init; }
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

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
}
