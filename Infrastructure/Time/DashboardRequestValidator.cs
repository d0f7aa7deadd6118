using FastEndpoints;
using FluentValidation;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>SPEC §3 checks on what the caller wrote; a slice's validator derives from this and adds its own rules.</summary>
public abstract class DashboardRequestValidator<T> : Validator<T> where T : DashboardRequest
{
    private const int MaxFilterValues = 200;

    protected DashboardRequestValidator()
    {
        RuleFor(r => r.ProviderId).GreaterThan(0).When(r => r.ProviderId is not null).WithMessage("providerId must be a positive integer.");
        RuleFor(r => r.PartnerId).MaximumLength(100);
        RuleFor(r => r).Custom((r, context) =>
        {
            // Defaults need "now" and the provider's zone; check only what was written, with a fixed reference time.
            var failures = RangeResolver.TryResolve(r.Start, r.End ?? (r.Start is { } s ? s + 1 : null), r.Interval, r.Tz, null, DateTime.UtcNow, out _);
            foreach (var failure in failures)
                context.AddFailure(failure);
        });

        When(r => r is IFilteredRequest, () =>
        {
            RuleFor(r => ((IFilteredRequest)r).Channel).Must(v => v is null || v.Length <= MaxFilterValues && v.All(x => x is { Length: <= 50 }))
                .WithName("channel").WithMessage($"channel takes at most {MaxFilterValues} values of at most 50 characters.");
            RuleFor(r => ((IFilteredRequest)r).InteractionType).Must(v => v is null || v.Length <= MaxFilterValues && v.All(x => x is { Length: <= 50 }))
                .WithName("interactionType").WithMessage($"interactionType takes at most {MaxFilterValues} values of at most 50 characters.");
            RuleFor(r => ((IFilteredRequest)r).QueueId).Must(v => v is null || v.Length <= MaxFilterValues).WithName("queueId").WithMessage($"queueId takes at most {MaxFilterValues} values.");
            RuleFor(r => ((IFilteredRequest)r).AgentId).Must(v => v is null || v.Length <= MaxFilterValues).WithName("agentId").WithMessage($"agentId takes at most {MaxFilterValues} values.");
            RuleFor(r => ((IFilteredRequest)r).BotId).Must(v => v is null || v.Length <= MaxFilterValues).WithName("botId").WithMessage($"botId takes at most {MaxFilterValues} values.");
        });
    }
}
