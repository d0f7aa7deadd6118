using System.ComponentModel;
using FastEndpoints;
using FluentValidation;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.ChatStats;

/// <summary>Provider-scoped, not bucketed: a snapshot at one instant.</summary>
public sealed class Request : IProviderScoped
{
    [Description("Tenant id. A ProviderAdmin's own provider by default; a KoopidAdmin must name it.")]
    public long? ProviderId { get; set; }

    [Description("The instant of the snapshot, epoch milliseconds UTC. Default: now.")]
    public long? At { get; set; }

    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ProviderId).GreaterThan(0).When(r => r.ProviderId is not null).WithName("providerId").WithMessage("providerId must be a positive integer.");
        RuleFor(r => r.At).InclusiveBetween(0, Epoch.MaxMs).When(r => r.At is not null).WithName("at")
            .WithMessage($"at must be epoch milliseconds between 0 and {Epoch.MaxMs}.");
        RuleFor(r => r.PartnerId).MaximumLength(100).WithName("partnerId");
    }
}

/// <summary>What is going on at <c>at</c>.</summary>
public sealed record Live
{
    public long ActiveInteractions { get; init; }
    public long WaitingInQueue { get; init; }
    public double? LongestWaitSeconds { get; init; }
    public long AgentsOnline { get; init; }
    public long ActiveBotSessions { get; init; }
}

/// <summary>From the provider's local midnight to <c>at</c> (both inclusive).</summary>
public sealed record Today
{
    public long Start { get; init; }
    public long End { get; init; }
    public long Started { get; init; }
    public long Offered { get; init; }
    public long Answered { get; init; }
    public long Abandoned { get; init; }
    public double? WaitSecondsAvg { get; init; }
}

public sealed record Response
{
    public long ProviderId { get; init; }
    public long At { get; init; }
    /// <summary>The provider's time zone, which defines "today".</summary>
    public string Tz { get; init; } = "";
    public Live Live { get; init; } = new();
    public Today Today { get; init; } = new();
}
