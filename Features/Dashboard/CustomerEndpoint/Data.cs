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
    /// Rollup path: uniqueCustomers and newCustomers are distinct counts, so they need the range's raw rows. They stream
    /// index-only (interactions_by_start, <see cref="Base"/>) and the service counts them (<see cref="Count"/>):
    /// PostgreSQL's count(DISTINCT) sorted the rows once per grouping set and grouping, most of the statement's time.
    /// Interactions are counted in the same pass: interaction_rollup_15m holds about one row per interaction for a tenant
    /// like the bench's (docs/performance.md), so reading it as well only added a second scan.
    /// A customer is new where its first-ever interaction lies, which customer_first_interaction holds (ingest keeps it
    /// equal to the raw path's min() over all stored history). Only the customers first seen inside the range can be new
    /// in it, so the first statement reads just those, through customer_first_interaction_by_first (0023), with the bucket
    /// of their first interaction; a customer of the range not among them was seen before it. (Joined to every
    /// interaction, the table was hashed whole: the tenant's 20 k customers for a 15 k-interaction month.)
    /// </summary>
    private static readonly string RollupRowsSql = $$"""
        SELECT f.customer_id, width_bucket(f.first_started_at, @Bounds) AS first_bucket
        FROM customer_first_interaction f
        WHERE f.provider_id = @ProviderId AND f.first_started_at >= @Start AND f.first_started_at < @End;
        {{Base}}
        """;

    /// <summary>
    /// The raw path's GROUPING SETS ((bucket), (channel), ()) over streamed rows: per group the interactions, its distinct
    /// customers, and those of them whose first interaction is in the bucket (per bucket) or in the range (channel, totals).
    /// </summary>
    private sealed class Counter
    {
        private readonly HashSet<long> customers = [];
        private readonly HashSet<long> newCustomers = [];
        private long interactions;

        public void Add(long? customer, bool isNew)
        {
            interactions++;
            if (customer is not { } c)
                return;
            customers.Add(c);
            if (isNew)
                newCustomers.Add(c);
        }

        public Figures ToFigures(int? bucket, string? channel) => new()
        {
            Bucket = bucket, Channel = channel, Interactions = interactions, UniqueCustomers = customers.Count, NewCustomers = newCustomers.Count,
        };
    }

    private static async Task<IReadOnlyList<Figures>> CountAsync(NpgsqlConnection connection, DynamicParameters parameters, CancellationToken ct)
    {
        var perBucket = new SortedDictionary<int, Counter>();
        var perChannel = new Dictionary<string, Counter>(StringComparer.Ordinal);
        var total = new Counter();
        await using (var reader = await connection.ExecuteReaderAsync(new CommandDefinition(RollupRowsSql, parameters, cancellationToken: ct)))
        {
            // the customers first seen in the range, with the bucket of their first interaction
            var firstBuckets = new Dictionary<long, int>();
            while (await reader.ReadAsync(ct))
                firstBuckets[reader.GetInt64(0)] = reader.GetInt32(1);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                long? customer = reader.IsDBNull(0) ? null : reader.GetInt64(0);
                var channel = reader.GetString(1);
                var bucket = reader.GetInt32(2);
                int? firstBucket = customer is { } c && firstBuckets.TryGetValue(c, out var first) ? first : null;
                if (!perBucket.TryGetValue(bucket, out var inBucket))
                    perBucket[bucket] = inBucket = new Counter();
                if (!perChannel.TryGetValue(channel, out var onChannel))
                    perChannel[channel] = onChannel = new Counter();
                inBucket.Add(customer, firstBucket == bucket);
                onChannel.Add(customer, firstBucket is not null);
                total.Add(customer, firstBucket is not null);
            }
        }
        return
        [
            .. perBucket.Select(b => b.Value.ToFigures(b.Key, null)),
            .. perChannel.Select(c => c.Value.ToFigures(null, c.Key)),
            total.ToFigures(null, null),
        ];
    }

    public static async Task<IReadOnlyList<Figures>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, RollupSplit? split, CancellationToken ct)
    {
        var parameters = InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
        });
        await using var connection = await db.OpenConnectionAsync(ct);
        if (split is not null)
            return await CountAsync(connection, parameters, ct);
        var rows = await connection.QueryAsync<Figures>(new CommandDefinition(Sql, parameters, cancellationToken: ct));
        return rows.AsList();
    }
}
