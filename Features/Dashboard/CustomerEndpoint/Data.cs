using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.CustomerEndpoint;

public static class Data
{
    /// <summary>A GROUPING SETS row: per bucket (Channel NULL), per channel over the range (Bucket NULL), or the range (both NULL).</summary>
    public sealed record Figures
    {
        public int? Bucket { get; init; }
        public string? Channel { get; init; }
        public long Interactions { get; init; }
        public long UniqueCustomers { get; init; }
        public long NewCustomers { get; init; }
    }

    /// <summary>The range's interactions (both paths): customer, channel and bucket, index-only through interactions_by_start.</summary>
    private const string Base = $$"""
            SELECT i.customer_id, i.channel, width_bucket(i.started_at, @Bounds) AS bucket
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND i.started_at >= @Start AND i.started_at < @End
              AND {{InteractionFilters.OnInteraction}}
        """;

    private const string Sql = $$"""
        WITH base AS (
        {{Base}}
        ),
        -- Each customer's first-ever interaction over all history, every channel, no filter (SPEC §4 newCustomers):
        -- its bucket number, 0 when it is before the range.
        firsts AS (
            SELECT f.customer_id, width_bucket(min(f.started_at), @Bounds) AS first_bucket
            FROM interactions f
            WHERE f.provider_id = @ProviderId AND f.customer_id IN (SELECT customer_id FROM base)
            GROUP BY f.customer_id
        )
        SELECT x.bucket, x.channel,
               -- interactions: startedAt in the bucket (those without a customer included)
               count(*) AS interactions,
               -- uniqueCustomers: distinct customers among them
               count(DISTINCT x.customer_id) AS unique_customers,
               -- newCustomers: those whose first-ever interaction falls in this bucket (per bucket) or in the range (per channel, totals)
               CASE WHEN GROUPING(x.bucket) = 0
                    THEN count(DISTINCT x.customer_id) FILTER (WHERE f.first_bucket = x.bucket)
                    ELSE count(DISTINCT x.customer_id) FILTER (WHERE f.first_bucket >= 1) END AS new_customers
        FROM base x
        LEFT JOIN firsts f ON f.customer_id = x.customer_id
        GROUP BY GROUPING SETS ((x.bucket), (x.channel), ())
        """;

    /// <summary>
    /// Rollup path: uniqueCustomers and newCustomers are distinct counts, so they read the range's raw rows index-only
    /// (interactions_by_start); interactions are counted in the same pass: interaction_rollup_15m holds about one row per
    /// interaction for a tenant like the bench's (docs/performance.md), so reading it as well only added a second scan.
    /// Each customer's first interaction comes from customer_first_interaction, which ingest keeps equal to the raw
    /// path's min() over all stored history.
    /// </summary>
    private const string RollupSql = $$"""
        WITH base AS (
        {{Base}}
        )
        SELECT x.bucket, x.channel,
               count(*) AS interactions,
               count(DISTINCT x.customer_id) AS unique_customers,
               CASE WHEN GROUPING(x.bucket) = 0
                    THEN count(DISTINCT x.customer_id) FILTER (WHERE width_bucket(f.first_started_at, @Bounds) = x.bucket)
                    ELSE count(DISTINCT x.customer_id) FILTER (WHERE width_bucket(f.first_started_at, @Bounds) >= 1) END AS new_customers
        FROM base x
        LEFT JOIN customer_first_interaction f ON f.provider_id = @ProviderId AND f.customer_id = x.customer_id
        GROUP BY GROUPING SETS ((x.bucket), (x.channel), ())
        """;

    public static async Task<IReadOnlyList<Figures>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Figures>(new CommandDefinition(split is null ? Sql : RollupSql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
