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
               -- avgSentiment: mean of the interactions' sentiment (−1..1) where set
               avg(x.sentiment)::float8 AS avg_sentiment
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

    public static async Task<(IReadOnlyList<IntentFigures> Intents, IReadOnlyList<BucketFigures> Buckets)> QueryAsync(
        NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, int limit, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(Sql, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            Channels = r.Channel ?? [],
            InteractionTypes = r.InteractionType ?? [],
            QueueIds = r.QueueId ?? [],
            AgentIds = r.AgentId ?? [],
            BotIds = r.BotId ?? [],
            Limit = limit,
        }, cancellationToken: ct));
        var intents = (await results.ReadAsync<IntentFigures>()).AsList();
        var buckets = (await results.ReadAsync<BucketFigures>()).AsList();
        return (intents, buckets);
    }
}
