using System.ComponentModel;
using FastEndpoints;
using FluentValidation;
using KoopidDashboard.Infrastructure.Security;

namespace KoopidDashboard.Features.Dashboard.DBStats;

/// <summary>A KoopidAdmin may leave providerId out for the platform-wide view.</summary>
public sealed class Request : IPlatformWideAllowed
{
    [Description("Tenant id. Leave out (KoopidAdmin only) for the whole database; a ProviderAdmin always gets its own provider.")]
    public long? ProviderId { get; set; }

    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ProviderId).GreaterThan(0).When(r => r.ProviderId is not null).WithName("providerId").WithMessage("providerId must be a positive integer.");
        RuleFor(r => r.PartnerId).MaximumLength(100).WithName("partnerId");
    }
}

/// <summary>One table: its rows (exact, or the planner's estimate for large tables in the platform view) and bytes (platform view only).</summary>
public sealed record TableRow
{
    public string Table { get; init; } = "";
    public long Rows { get; init; }
    public bool RowsExact { get; init; }
    public long? Bytes { get; init; }
}

/// <summary>
/// <c>scope</c> = <c>platform</c> (KoopidAdmin without providerId) or <c>provider</c>; database-wide fields are null in the provider view.
/// </summary>
public sealed record Response
{
    public string Scope { get; init; } = "";
    public long? ProviderId { get; init; }
    public long? DatabaseBytes { get; init; }
    public int? Connections { get; init; }
    public int? MaxConnections { get; init; }
    public double? CacheHitRatio { get; init; }
    public long? ProviderCount { get; init; }
    /// <summary>Earliest / latest event time (epoch ms): interaction start, message sent, agent login, bot session start.</summary>
    public long? OldestEventAt { get; init; }
    public long? NewestEventAt { get; init; }
    public IReadOnlyList<TableRow> Rows { get; init; } = [];
}
