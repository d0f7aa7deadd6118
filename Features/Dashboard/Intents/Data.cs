using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Intents;

public static class Data
{
    /// <summary>grouping(bucket, intent) of a result row: a bucket and intent, a bucket, an intent, the range.</summary>
    public const int BucketIntentGroup = 0, BucketGroup = 1, IntentGroup = 2, TotalsGroup = 3;

    /// <summary>
    /// One GROUPING SETS row. <c>Intent</c> NULL in an intent group = the interactions without one. Bucket-and-intent rows
    /// come only for the top <c>@Limit</c> intents.
    /// </summary>
    public sealed record Figures
    {
        public int Grp { get; init; }
        public int? Bucket { get; init; }
        public string? Intent { get; init; }
        public long Interactions { get; init; }
        public long BotContained { get; init; }
        public double? AvgSentiment { get; init; }
    }

    /// <summary>
    /// The tail of both paths' statement: the grouped figures (CTE <c>grouped</c>), bucket-and-intent rows kept only for the
    /// top <c>@Limit</c> intents, ties as the rows sort them (ordinal), as the endpoint orders its rows.
    /// </summary>
    private const string TopAndSelect = """
        , top AS (
            SELECT intent FROM grouped WHERE grp = 2 AND intent IS NOT NULL -- IntentGroup
            ORDER BY interactions DESC, intent COLLATE "C" LIMIT @Limit
        )
        SELECT * FROM grouped WHERE grp <> 0 OR intent IN (SELECT intent FROM top) -- 0: BucketIntentGroup
        """;

    private const string Base = $$"""
        WITH base AS (
            SELECT i.interaction_id, i.intent, i.sentiment, i.bot_id, i.queued_at, i.answered_at,
                   width_bucket(i.started_at, @Bounds) AS bucket
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND i.started_at >= @Start AND i.started_at < @End
              AND {{InteractionFilters.OnInteraction}}
        )
        """;

    private const string Sql = Base + """
        , sessions AS (
            SELECT b.interaction_id, bool_or(b.outcome = 'contained') AS contained
            FROM bot_sessions b
            WHERE b.provider_id = @ProviderId AND b.interaction_id IN (SELECT interaction_id FROM base)
            GROUP BY b.interaction_id
        ),
        grouped AS (
            SELECT grouping(x.bucket, x.intent) AS grp, x.bucket, x.intent,
                   -- interactions: startedAt in the range (SPEC §4 attribution)
                   count(*) AS interactions,
                   -- botContained (SPEC §4 botContained, per interaction): a bot session of the interaction ended
                   -- 'contained'; an interaction without any bot session counts when it is bot-only (a bot, never queued or answered)
                   count(*) FILTER (WHERE s.contained OR (s.interaction_id IS NULL AND x.bot_id IS NOT NULL AND x.queued_at IS NULL AND x.answered_at IS NULL)) AS bot_contained,
                   -- avgSentiment: mean of the interactions' sentiment (−1..1) where set; averaged as exact numeric, which is
                   -- what the rollup path's sum ÷ n computes
                   avg(x.sentiment::numeric)::float8 AS avg_sentiment
            FROM base x
            LEFT JOIN sessions s ON s.interaction_id = x.interaction_id
            GROUP BY GROUPING SETS ((x.bucket, x.intent), (x.bucket), (x.intent), ())
        )
        """ + TopAndSelect;

    /// <summary>
    /// The same figures from the rollups: whole UTC hours from interaction_rollup_1h_intent when the call has no filter
    /// (the coarse tier; exact because every plan bound is then a whole UTC hour), the other whole 15-minute steps from
    /// interaction_rollup_15m, the partial edges raw.
    /// botContained is the stored flag (interactions.bot_contained, kept by ingest: BotContainment) and its rollup count, so
    /// one pass over the range's rollup rows answers every grouping; the raw path computes the flag's definition from
    /// bot_sessions, and the rollup/raw equivalence test compares the two.
    /// </summary>
    private const string RollupSql = $$"""
        WITH src AS (
            SELECT i.started_at AS at, i.intent, 1 AS interactions, i.bot_contained::int AS bot_contained,
                   (i.sentiment IS NOT NULL)::int AS sentiment_n, i.sentiment::numeric AS sentiment_sum
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND ((i.started_at >= @Start AND i.started_at < @RollupStart) OR (i.started_at >= @RollupEnd AND i.started_at < @End))
              AND {{InteractionFilters.OnInteraction}}
            UNION ALL
            SELECT r.bucket_start, r.intent, r.interactions, r.bot_contained, r.sentiment_n, r.sentiment_sum
            FROM interaction_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND ((r.bucket_start >= @RollupStart AND r.bucket_start < @HourStart) OR (r.bucket_start >= @HourEnd AND r.bucket_start < @RollupEnd))
              AND {{InteractionFilters.OnRollup}}
            UNION ALL
            -- no filter at all: the whole UTC hours from the hourly tier by intent (else an empty hour range: RollupSplit.HoursFor)
            SELECT r.bucket_start, r.intent, r.interactions, r.bot_contained, r.sentiment_n, r.sentiment_sum
            FROM interaction_rollup_1h_intent r
            WHERE r.provider_id = @ProviderId
              AND r.bucket_start >= @HourStart AND r.bucket_start < @HourEnd
        ),
        grouped AS (
            SELECT grouping(bucket, intent) AS grp, bucket, intent,
                   coalesce(sum(interactions), 0)::bigint AS interactions,
                   coalesce(sum(bot_contained), 0)::bigint AS bot_contained,
                   (sum(sentiment_sum) / nullif(sum(sentiment_n), 0))::float8 AS avg_sentiment
            FROM (SELECT width_bucket(at, @Bounds) AS bucket, * FROM src) x
            GROUP BY GROUPING SETS ((bucket, intent), (bucket), (intent), ())
        )
        {{TopAndSelect}}
        """;

    public static async Task<IReadOnlyList<Figures>> QueryAsync(
        NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, int limit, RollupSplit? split, CancellationToken ct)
    {
        var (hourStart, hourEnd) = RollupSplit.HoursFor(split, coarse: !InteractionFilters.Any(r));
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Figures>(new CommandDefinition(split is null ? Sql : RollupSql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            HourStart = hourStart,
            HourEnd = hourEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
            Limit = limit,
        }), cancellationToken: ct));
        return rows.AsList();
    }
}
