using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using FastEndpoints;
using FluentValidation;
using KoopidDashboard.Infrastructure.Security;

namespace KoopidDashboard.Features.Dashboard.UserActivity;

public sealed class Request : IProviderScoped
{
    [Description("Tenant id. A ProviderAdmin's own provider by default; a KoopidAdmin must name it.")]
    public long? ProviderId { get; set; }

    /// <summary>The customer; the query name is <c>for</c>, a C# keyword.</summary>
    [BindFrom("for"), Description("The customer id whose journey to show.")]
    public long? For { get; set; }

    [Description("Timeline page size, 1..200. Default 50.")]
    public int? Limit { get; set; }

    [Description("The nextCursor of the previous page; leave out for the first (newest) page.")]
    public string? Cursor { get; set; }

    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

public sealed class Validator : Validator<Request>
{
    public Validator()
    {
        RuleFor(r => r.ProviderId).GreaterThan(0).When(r => r.ProviderId is not null).WithName("providerId").WithMessage("providerId must be a positive integer.");
        RuleFor(r => r.For).NotNull().WithName("for").WithMessage("for (the customer id) is required.");
        RuleFor(r => r.For).GreaterThan(0).When(r => r.For is not null).WithName("for").WithMessage("for must be a positive customer id.");
        RuleFor(r => r.Limit).InclusiveBetween(1, 200).When(r => r.Limit is not null).WithName("limit").WithMessage("limit must be between 1 and 200.");
        RuleFor(r => r.Cursor).Must(c => c is null || TimelineCursor.TryDecode(c, out _)).WithName("cursor")
            .WithMessage("cursor must be the nextCursor of a previous page.");
        RuleFor(r => r.PartnerId).MaximumLength(100).WithName("partnerId");
    }
}

/// <summary>Keyset position after the last interaction of a page: (startedAt, interactionId), newest first. Opaque to clients.</summary>
public readonly record struct TimelineCursor(DateTime StartedAt, long InteractionId)
{
    public string Encode() => Convert.ToBase64String(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{StartedAt.Ticks}.{InteractionId}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, out TimelineCursor cursor)
    {
        cursor = default;
        if (text.Length is 0 or > 100)
            return false;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            var decoded = Encoding.ASCII.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            var parts = decoded.Split('.');
            if (parts.Length != 2
                || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTime.MaxValue.Ticks
                || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
                return false;
            cursor = new TimelineCursor(new DateTime(ticks, DateTimeKind.Utc), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>One touch point of the journey.</summary>
public sealed record TimelineItem
{
    public long InteractionId { get; init; }
    public long StartedAt { get; init; }
    public long? EndedAt { get; init; }
    public string Channel { get; init; } = "";
    public string InteractionType { get; init; } = "";
    public long? QueueId { get; init; }
    public string? QueueName { get; init; }
    public long? AgentId { get; init; }
    public string? AgentName { get; init; }
    public long? BotId { get; init; }
    public string? BotName { get; init; }
    public string? Outcome { get; init; }
    public string? Intent { get; init; }
    public long Messages { get; init; }
    public double? Sentiment { get; init; }
}

public sealed record Response
{
    public long ProviderId { get; init; }
    public long CustomerId { get; init; }
    /// <summary>Earliest startedAt of the customer's interactions (epoch ms); null when there is none.</summary>
    public long? FirstSeenAt { get; init; }
    /// <summary>Latest startedAt or endedAt of the customer's interactions (epoch ms).</summary>
    public long? LastSeenAt { get; init; }
    public IReadOnlyList<string> Channels { get; init; } = [];
    public long InteractionCount { get; init; }

    /// <summary>The page, newest first. Named <c>timeline</c> in JSON; <c>Rows</c> here so that CSV exports it.</summary>
    [JsonPropertyName("timeline")]
    public IReadOnlyList<TimelineItem> Rows { get; init; } = [];

    public string? NextCursor { get; init; }
}
