using System.ComponentModel;
using FastEndpoints;
using FluentValidation;
using KoopidDashboard.Features.Dashboard.RedactedMessages;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.RedactedMessagesWithPlot;

/// <summary>GET query (and the route's providerId).</summary>
public sealed class Request : IProviderScoped
{
    [Description("Tenant id (route). Must be the caller's own provider.")]
    public long? ProviderId { get; set; }

    [Description("Range start, epoch milliseconds UTC (inclusive), on sentAt. Default: end − 24 h.")]
    public long? Start { get; set; }

    [Description("Range end, epoch milliseconds UTC (exclusive), on sentAt. Default: now.")]
    public long? End { get; set; }

    [Description("IANA time zone for local days and hours. Default: the provider's time zone.")]
    public string? Tz { get; set; }

    [Description("daily (default): messages per local day; hourly: per local hour of day 0–23; sender: per local day stacked by senderType. Other values: daily.")]
    public string? Viewtype { get; set; }

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

/// <summary>The seed's exact keys and status strings.</summary>
public sealed record Response
{
    public const string Success = "success";
    public const string NoMessages = "No redacted messages";
    public const string PlotFailed = "Failed to get plot";

    /// <summary>The range's first <see cref="Endpoint.MaxExtracted"/> messages in (sentAt, messageId) order, shaped as RedactedMessages rows.</summary>
    public IReadOnlyList<MessageRow> ExtractedMessages { get; init; } = [];

    /// <summary>A self-contained HTML page with an inline SVG chart (no script, no external fetch); empty when the plot failed.</summary>
    public string HtmlView { get; init; } = "";

    public string Status { get; init; } = Success;
}
