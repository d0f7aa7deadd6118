using System.ComponentModel;
using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.RedactedMessages;

/// <summary>GET query (and the route's providerId).</summary>
public sealed class Request : IProviderScoped
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    [Description("Tenant id (route). Must be the caller's own provider.")]
    public long? ProviderId { get; set; }

    [Description("Range start, epoch milliseconds UTC (inclusive), on sentAt. Default: end − 24 h (or the cursor's range).")]
    public long? Start { get; set; }

    [Description("Range end, epoch milliseconds UTC (exclusive), on sentAt. Default: now (or the cursor's range).")]
    public long? End { get; set; }

    [Description("Page size, 1..1000. Default 100. Ignored when streaming (Accept: application/x-ndjson or text/csv).")]
    public int? Limit { get; set; }

    [Description("Opaque cursor: the previous page's nextCursor. Bound to the provider and range it was issued for.")]
    public string? Cursor { get; set; }

    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ProviderId).GreaterThan(0).When(r => r.ProviderId is not null).WithMessage("providerId must be a positive integer.");
        RuleFor(r => r.PartnerId).MaximumLength(100);
        RuleFor(r => r.Limit).InclusiveBetween(1, Request.MaxLimit).When(r => r.Limit is not null)
            .WithMessage($"limit must be between 1 and {Request.MaxLimit}.");
        RuleFor(r => r.Cursor).MaximumLength(RedactedMessages.Cursor.MaxEncodedLength).Matches("^[A-Za-z0-9_-]*$")
            .WithMessage("cursor must be a nextCursor returned by this endpoint.");
        RuleFor(r => r).Custom((r, context) =>
        {
            foreach (var failure in RangePlanner.Check(r.Start, r.End, BucketInterval.Total, null))
                context.AddFailure(failure);
        });
    }
}

/// <summary>
/// One redacted message as the Koopid reporting API describes it, flat so JSON, NDJSON and CSV share the columns:
/// sender (senderType, senderId, senderName), interaction context (sentiment, topic, intent), workflow (bot and queue
/// that handled the interaction), session (interactionId, channel) and the entity types the redactor replaced.
/// </summary>
public sealed record MessageRow
{
    public long MessageId { get; init; }
    public long SentAt => Epoch.ToMs(SentAtExact);
    public string SenderType { get; init; } = "";
    public long? SenderId { get; init; }
    public string? SenderName { get; init; }
    public string Text { get; init; } = "";
    public double? Sentiment { get; init; }
    public string? Topic { get; init; }
    public string? Intent { get; init; }
    public long? BotId { get; init; }
    public string? BotName { get; init; }
    public long? QueueId { get; init; }
    public string? QueueName { get; init; }
    public long InteractionId { get; init; }
    public string? Channel { get; init; }
    public string[] EntityTypes { get; init; } = [];

    /// <summary>The stored instant (microseconds): the keyset position, finer than the epoch ms shown.</summary>
    [JsonIgnore] public DateTime SentAtExact { get; init; }
}

public sealed record Response
{
    public long ProviderId { get; init; }
    public long Start { get; init; }
    public long End { get; init; }
    public int Limit { get; init; }
    public IReadOnlyList<MessageRow> Messages { get; init; } = [];

    /// <summary>Pass as <c>cursor</c> for the next page; null on the last page.</summary>
    public string? NextCursor { get; init; }
}
