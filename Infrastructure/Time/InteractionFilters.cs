using Dapper;

namespace KoopidDashboard.Infrastructure.Time;

/// <summary>A dashboard request that takes the SPEC §3 filters; inherit it instead of repeating the five properties.</summary>
public abstract class FilteredDashboardRequest : DashboardRequest, IFilteredRequest
{
    public string[]? Channel { get; set; }
    public string[]? InteractionType { get; set; }
    public long[]? QueueId { get; set; }
    public long[]? AgentId { get; set; }
    public long[]? BotId { get; set; }
}

/// <summary>
/// The SPEC §3 filters as SQL: unknown values match nothing, an empty array means no filter. The predicate is a constant
/// (slices splice it into their constant SQL), the values always travel as array parameters.
/// </summary>
public static class InteractionFilters
{
    /// <summary>The predicate on an <c>interactions</c> row aliased <c>i</c>.</summary>
    public const string OnInteraction = """
        (cardinality(@Channels) = 0 OR i.channel = ANY(@Channels))
                  AND (cardinality(@InteractionTypes) = 0 OR i.interaction_type = ANY(@InteractionTypes))
                  AND (cardinality(@QueueIds) = 0 OR i.queue_id = ANY(@QueueIds))
                  AND (cardinality(@AgentIds) = 0 OR i.agent_id = ANY(@AgentIds))
                  AND (cardinality(@BotIds) = 0 OR i.bot_id = ANY(@BotIds))
        """;

    /// <summary>The same predicate on a rollup row aliased <c>r</c> (interaction_rollup_15m, queue_rollup_15m: the dimensions are the interaction's).</summary>
    public const string OnRollup = """
        (cardinality(@Channels) = 0 OR r.channel = ANY(@Channels))
                  AND (cardinality(@InteractionTypes) = 0 OR r.interaction_type = ANY(@InteractionTypes))
                  AND (cardinality(@QueueIds) = 0 OR r.queue_id = ANY(@QueueIds))
                  AND (cardinality(@AgentIds) = 0 OR r.agent_id = ANY(@AgentIds))
                  AND (cardinality(@BotIds) = 0 OR r.bot_id = ANY(@BotIds))
        """;

    /// <summary>The type filter on a coarse rollup row aliased <c>r</c> (interaction_rollup_1h keeps only the type).</summary>
    public const string OnHourlyRollup = "(cardinality(@InteractionTypes) = 0 OR r.interaction_type = ANY(@InteractionTypes))";

    /// <summary>
    /// True when the request's filters fit the hourly tier: none other than the interaction type (the one dimension
    /// interaction_rollup_1h keeps) names a value. Whether the range has whole hours is <see cref="RollupSplit.HoursFor"/>'s part.
    /// </summary>
    public static bool FitHourly(IFilteredRequest r) =>
        r.Channel is not { Length: > 0 } && r.QueueId is not { Length: > 0 } && r.AgentId is not { Length: > 0 } && r.BotId is not { Length: > 0 };

    /// <summary>
    /// True when a filter names a value (an empty array is no filter), so a slice can skip joining the interactions.
    /// <paramref name="countAgent"/> false: the agent filter is applied elsewhere (e.g. on a message's sender).
    /// </summary>
    public static bool Any(IFilteredRequest r, bool countAgent = true) =>
        r.Channel is { Length: > 0 } || r.InteractionType is { Length: > 0 } || r.QueueId is { Length: > 0 } || r.BotId is { Length: > 0 }
        || (countAgent && r.AgentId is { Length: > 0 });

    /// <summary>The slice's own parameters plus the five filter arrays of <paramref name="filters"/>.</summary>
    public static DynamicParameters With(IFilteredRequest filters, object parameters)
    {
        var all = new DynamicParameters(parameters);
        all.AddDynamicParams(new
        {
            Channels = filters.Channel ?? [],
            InteractionTypes = filters.InteractionType ?? [],
            QueueIds = filters.QueueId ?? [],
            AgentIds = filters.AgentId ?? [],
            BotIds = filters.BotId ?? [],
        });
        return all;
    }
}
