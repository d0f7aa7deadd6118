using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Messages;

public static class Data
{
    /// <summary>A bucket's figures; <c>bucket</c> is the width_bucket number, NULL on the totals row (GROUPING SETS).</summary>
    public sealed record Row : Metrics
    {
        public int? Bucket { get; init; }
    }

    private const string Sql = $$"""
        SELECT width_bucket(m.sent_at, @Bounds) AS bucket,
               -- total: messages with sentAt in the bucket (SPEC §4 attribution)
               count(*) AS total,
               -- fromCustomer / fromAgent / fromBot / fromSystem: by senderType
               count(*) FILTER (WHERE m.sender_type = 'customer') AS from_customer,
               count(*) FILTER (WHERE m.sender_type = 'agent') AS from_agent,
               count(*) FILTER (WHERE m.sender_type = 'bot') AS from_bot,
               count(*) FILTER (WHERE m.sender_type = 'system') AS from_system,
               -- interactions: distinct interactions of those messages (perInteraction = total ÷ interactions)
               count(DISTINCT m.interaction_id) AS interactions,
               (count(*)::float8 / NULLIF(count(DISTINCT m.interaction_id), 0)) AS per_interaction,
               -- redactedEntities: entities replaced by the redactor (one element of redacted_entities each)
               coalesce(sum(cardinality(m.redacted_entities)), 0) AS redacted_entities
        FROM messages m
        LEFT JOIN interactions i ON i.provider_id = m.provider_id AND i.interaction_id = m.interaction_id
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
          AND {{InteractionFilters.OnInteraction}}
        GROUP BY GROUPING SETS ((1), ())
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
