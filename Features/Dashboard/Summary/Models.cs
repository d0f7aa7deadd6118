using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.Summary;

/// <summary>The range and its predecessor of equal length; no filters (the cards summarise the whole provider).</summary>
public sealed class Request : DashboardRequest;

public sealed class Validator : DashboardRequestValidator<Request>;

/// <summary>A KPI card: the range's value, the previous range's, and (value − previous) ÷ previous (null when previous is null or 0).</summary>
public sealed record Card(double? Value, double? Previous, double? ChangeRatio)
{
    public static Card Of(double? value, double? previous) =>
        new(value, previous, previous is null or 0 || value is null ? null : (value - previous) / previous);
}

public sealed record Cards
{
    public Card Interactions { get; init; } = null!;
    public Card UniqueCustomers { get; init; } = null!;
    public Card Messages { get; init; } = null!;
    public Card Answered { get; init; } = null!;
    public Card AbandonRate { get; init; } = null!;
    public Card WaitSecondsAvg { get; init; } = null!;
    public Card HandleSecondsAvg { get; init; } = null!;
    public Card FirstResponseSecondsAvg { get; init; } = null!;
    public Card ContainmentRate { get; init; } = null!;
    public Card AvgSentiment { get; init; } = null!;
    public Card AvgCsat { get; init; } = null!;
    public Card ActiveAgents { get; init; } = null!;
}

/// <summary>One period's figures: the range (the single bucket) or the previous range.</summary>
public record Figures
{
    public long Interactions { get; init; }
    public long UniqueCustomers { get; init; }
    public long Messages { get; init; }
    public long Answered { get; init; }
    public double? AbandonRate { get; init; }
    public double? WaitSecondsAvg { get; init; }
    public double? HandleSecondsAvg { get; init; }
    public double? FirstResponseSecondsAvg { get; init; }
    public double? ContainmentRate { get; init; }
    public double? AvgSentiment { get; init; }
    public double? AvgCsat { get; init; }
    public long ActiveAgents { get; init; }
}

public sealed record Bucket : Figures
{
    public Bucket(long start, long end, Figures figures) : base(figures)
    {
        Start = start;
        End = end;
    }

    public long Start { get; init; }
    public long End { get; init; }
}

/// <summary>One line per card, for <c>?csv=rows</c>.</summary>
public sealed record Row(string Metric, double? Value, double? Previous, double? ChangeRatio);

/// <summary>
/// The envelope with <c>interval</c> always <c>total</c>: one bucket, the range itself, holding the current values;
/// <c>totals</c> holds the cards; <c>rows</c> the same cards one per line.
/// </summary>
public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public long PreviousStart { get; init; }
    public long PreviousEnd { get; init; }
    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Cards Totals { get; init; } = null!;
    public IReadOnlyList<Row> Rows { get; init; } = [];
}
