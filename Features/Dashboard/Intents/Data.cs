using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Intents;

public static class Data
{
    /// <summary>Per intent over the range (<c>AllIntents</c> = the range's totals; <c>Intent</c> NULL = interactions without one).</summary>
    public sealed record IntentFigures
    {
        public bool AllIntents { get; init; }
        public string? Intent { get; init; }
        public long Interactions { get; init; }
        public long BotContained { get; init; }
        public double? AvgSentiment { get; init; }
    }

    /// <summary>Per bucket (<c>Intent</c> NULL) and per bucket and top intent.</summary>
    public sealed record BucketFigures
    {
        public int Bucket { get; init; }
        public string? Intent { get; init; }
        public long Interactions { get; init; }
    }

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
        )
        SELECT GROUPING(x.intent) = 1 AS all_intents,
               x.intent,
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
        GROUP BY GROUPING SETS ((x.intent), ());

        """ + Base + """
        , top AS (
            SELECT intent FROM base WHERE intent IS NOT NULL
            GROUP BY intent ORDER BY count(*) DESC, intent COLLATE "C" LIMIT @Limit -- ties as the rows sort them (ordinal)
        )
        -- per bucket: all interactions (intent NULL), then each top intent's interactions
        SELECT bucket, NULL::text AS intent, count(*) AS interactions FROM base GROUP BY bucket
        UNION ALL
        SELECT bucket, intent, count(*) FROM base WHERE intent IN (SELECT intent FROM top) GROUP BY bucket, intent;
        """;

    /// <summary>Interactions and sentiment per intent: whole 15-minute steps from interaction_rollup_15m, edges raw.</summary>
    private const string RollupSource = $$"""
        WITH src AS (
            SELECT i.started_at AS at, i.intent, 1 AS interactions, (i.sentiment IS NOT NULL)::int AS sentiment_n, i.sentiment::numeric AS sentiment_sum
            FROM interactions i
            WHERE i.provider_id = @ProviderId
              AND ((i.started_at >= @Start AND i.started_at < @RollupStart) OR (i.started_at >= @RollupEnd AND i.started_at < @End))
              AND {{InteractionFilters.OnInteraction}}
            UNION ALL
            SELECT r.bucket_start, r.intent, r.interactions, r.sentiment_n, r.sentiment_sum
            FROM interaction_rollup_15m r
            WHERE r.provider_id = @ProviderId
              AND r.bucket_start >= @RollupStart AND r.bucket_start < @RollupEnd
              AND {{InteractionFilters.OnRollup}}
        )
        """;

    /// <summary>
    /// The same results with counts and sentiment from <see cref="RollupSource"/>. botContained depends on the
    /// interaction's bot sessions (another table), so it stays exact on raw rows: the range's interactions index-only
    /// through interactions_by_start, joined to their bot sessions folded per interaction (bot_sessions_by_interaction,
    /// index-only; <see cref="RangeSessions"/>).
    /// </summary>
    private const string RollupSql = RollupSource + $$"""
        , per_intent AS (
            SELECT GROUPING(intent) = 1 AS all_intents, intent, coalesce(sum(interactions), 0)::bigint AS interactions,
                   (sum(sentiment_sum) / nullif(sum(sentiment_n), 0))::float8 AS avg_sentiment
            FROM src
            GROUP BY GROUPING SETS ((intent), ())
        ),
        contained AS (
            -- each interaction's bot sessions folded once (index-only through bot_sessions_by_interaction) and hash-joined;
            -- two EXISTS subplans were re-hashed for every monthly partition of interactions
            SELECT GROUPING(i.intent) = 1 AS all_intents, i.intent, count(*) AS bot_contained
            FROM interactions i
            LEFT JOIN (
                SELECT b.interaction_id, bool_or(b.outcome = 'contained') AS contained
                FROM bot_sessions b
                WHERE b.provider_id = @ProviderId AND {{RangeSessions}}
                GROUP BY b.interaction_id
            ) s ON s.interaction_id = i.interaction_id
            WHERE i.provider_id = @ProviderId
              AND i.started_at >= @Start AND i.started_at < @End
              AND {{InteractionFilters.OnInteraction}}
              AND (s.contained OR (s.interaction_id IS NULL AND i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL))
            GROUP BY GROUPING SETS ((i.intent), ())
        )
        SELECT p.all_intents, p.intent, p.interactions, coalesce(c.bot_contained, 0) AS bot_contained, p.avg_sentiment
        FROM per_intent p
        LEFT JOIN contained c ON c.all_intents = p.all_intents AND c.intent IS NOT DISTINCT FROM p.intent;

        """ + RollupSource + """
        , top AS (
            SELECT intent FROM src WHERE intent IS NOT NULL
            GROUP BY intent ORDER BY sum(interactions) DESC, intent COLLATE "C" LIMIT @Limit
        )
        SELECT width_bucket(at, @Bounds) AS bucket, NULL::text AS intent, sum(interactions)::bigint AS interactions FROM src GROUP BY 1
        UNION ALL
        SELECT width_bucket(at, @Bounds), intent, sum(interactions)::bigint FROM src WHERE intent IN (SELECT intent FROM top) GROUP BY 1, 2;
        """;

    /// <summary>
    /// botContained's sessions: only those of the range's interactions (a semi-join the planner runs as key probes for a
    /// short range and as one hashed pass for a long one). Folding all the tenant's sessions instead cost 17 ms for one day
    /// (4× the raw path) and gained nothing at 30 or 400 days (bench at 10 M: 1 day 17 → 7 ms, 30 days 44 → 38, 400 days
    /// 481 → 458).
    /// </summary>
    private const string RangeSessions = """
        b.interaction_id IN (SELECT i2.interaction_id FROM interactions i2 WHERE i2.provider_id = @ProviderId
                                AND i2.started_at >= @Start AND i2.started_at < @End)
        """;

    public static async Task<(IReadOnlyList<IntentFigures> Intents, IReadOnlyList<BucketFigures> Buckets)> QueryAsync(
        NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, int limit, RollupSplit? split, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(split is null ? Sql : RollupSql, InteractionFilters.With(r, new
        {
            ProviderId = providerId,
            split?.RollupStart,
            split?.RollupEnd,
            plan.Bounds,
            plan.Start,
            plan.End,
            Limit = limit,
        }), cancellationToken: ct));
        var intents = (await results.ReadAsync<IntentFigures>()).AsList();
        var buckets = (await results.ReadAsync<BucketFigures>()).AsList();
        return (intents, buckets);
    }
}
