using System.ComponentModel;
using KoopidDashboard.Infrastructure.Security;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>
/// The request conventions of SPEC §3 shared by every statistics slice. A slice's own request inherits these and adds
/// its fields; POST slices bind them from the JSON body, GET slices from the query (the route for providerId).
/// </summary>
public abstract class DashboardRequest : IProviderScoped
{
    [Description("Tenant id. A ProviderAdmin's own provider by default; a KoopidAdmin must name it.")]
    public long? ProviderId { get; set; }

    [Description("Range start, epoch milliseconds UTC (inclusive). Default: end − 24 h.")]
    public long? Start { get; set; }

    [Description("Range end, epoch milliseconds UTC (exclusive). Default: now.")]
    public long? End { get; set; }

    [Description("Bucket size: PT15M, PT30M, PT1H, P1D, P1W, P1M or total. Default: PT1H up to 2 days, P1D up to 92 days, else P1W.")]
    public string? Interval { get; set; }

    [Description("IANA time zone for bucket boundaries. Default: the provider's time zone.")]
    public string? Tz { get; set; }

    [Description("The acting admin's id, as the Koopid reporting API passes it; recorded in the access log only.")]
    public string? PartnerId { get; set; }
}

/// <summary>The filters of SPEC §3 for slices where they apply: unknown values match nothing, an empty array means no filter.</summary>
public interface IFilteredRequest
{
    string[]? Channel { get; set; }
    string[]? InteractionType { get; set; }
    long[]? QueueId { get; set; }
    long[]? AgentId { get; set; }
    long[]? BotId { get; set; }
}
