using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.CustomerEndpoint;

public sealed class Request : FilteredDashboardRequest
{
}

public sealed class Validator : DashboardRequestValidator<Request>;

/// <summary>Customer reach (SPEC §4 newCustomers; interactions attributed to startedAt).</summary>
public record Metrics
{
    public long Interactions { get; init; }
    public long UniqueCustomers { get; init; }
    public long NewCustomers { get; init; }
    public long ReturningCustomers { get; init; }
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

public sealed record Row : Metrics
{
    public Row(string channel, Metrics metrics) : base(metrics) => Channel = channel;

    public string Channel { get; init; }
}

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public IReadOnlyList<Bucket> Buckets { get; init; } = [];
    public Metrics Totals { get; init; } = new();
    public IReadOnlyList<Row> Rows { get; init; } = [];
}
