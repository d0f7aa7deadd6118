using System.ComponentModel;
using FluentValidation;
using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Features.Dashboard.TopWords;

/// <summary>JSON body (SPEC §3 conventions). interval is accepted and ignored: the answer covers the whole range.</summary>
public sealed class Request : DashboardRequest, IFilteredRequest
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public static readonly string[] SenderTypes = ["customer", "agent", "bot", "system", "all"];

    [Description("How many words, 1..500. Default 50.")]
    public int? Limit { get; set; }

    [Description("Whose messages: customer (default), agent, bot, system, or all.")]
    public string? SenderType { get; set; }

    [Description("Only messages of interactions on these channels.")]
    public string[]? Channel { get; set; }

    [Description("Only messages of interactions of these types.")]
    public string[]? InteractionType { get; set; }

    [Description("Only messages of interactions routed to these queues.")]
    public long[]? QueueId { get; set; }

    [Description("Only messages of interactions handled by these agents.")]
    public long[]? AgentId { get; set; }

    [Description("Only messages of interactions handled by these bots.")]
    public long[]? BotId { get; set; }
}

public sealed class Validator : DashboardRequestValidator<Request>
{
    public Validator()
    {
        RuleFor(r => r.Limit).InclusiveBetween(1, Request.MaxLimit).When(r => r.Limit is not null)
            .WithMessage($"limit must be between 1 and {Request.MaxLimit}.");
        RuleFor(r => r.SenderType).Must(s => s is null || Request.SenderTypes.Contains(s))
            .WithMessage($"senderType must be one of {string.Join(", ", Request.SenderTypes)}.");
    }
}

public sealed record Row(string Word, long Count, double Share);

public sealed record Response : StatsEnvelope
{
    public Response(long providerId, BucketPlan plan) : base(providerId, plan) { }

    public string SenderType { get; init; } = "customer";

    /// <summary>Tokens counted over the range after every exclusion: the denominator of share.</summary>
    public long TotalTokens { get; init; }

    public IReadOnlyList<Row> Rows { get; init; } = [];
}
