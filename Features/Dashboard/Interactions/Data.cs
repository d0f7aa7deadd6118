using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Interactions;

public static class Data
{
    /// <summary>A bucket's figures; <c>bucket</c> is the width_bucket number, NULL on the totals row (GROUPING SETS).</summary>
    public sealed record Row : Metrics
    {
        public int? Bucket { get; init; }
    }

    private const string Sql = """
        SELECT width_bucket(i.started_at, @Bounds) AS bucket,
               count(*) AS started,
               -- answered: an agent accepted (answeredAt)
               count(*) FILTER (WHERE i.answered_at IS NOT NULL) AS answered,
               -- botOnly: a bot handled it and it never reached a queue
               count(*) FILTER (WHERE i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL) AS bot_only,
               -- abandoned: left the queue unanswered
               count(*) FILTER (WHERE i.abandoned_at IS NOT NULL AND i.answered_at IS NULL) AS abandoned,
               -- waitSeconds: answeredAt − queuedAt over answered
               (avg(extract(epoch FROM i.answered_at - i.queued_at)) FILTER (WHERE i.answered_at IS NOT NULL AND i.queued_at IS NOT NULL))::float8 AS wait_seconds_avg,
               -- handleSeconds: endedAt − answeredAt over answered interactions that ended
               (avg(extract(epoch FROM i.ended_at - i.answered_at)) FILTER (WHERE i.answered_at IS NOT NULL AND i.ended_at IS NOT NULL))::float8 AS handle_seconds_avg,
               -- durationSeconds: endedAt − startedAt over ended interactions
               (avg(extract(epoch FROM i.ended_at - i.started_at)) FILTER (WHERE i.ended_at IS NOT NULL))::float8 AS duration_seconds_avg
        FROM interactions i
        WHERE i.provider_id = @ProviderId
          AND i.started_at >= @Start AND i.started_at < @End
          AND (cardinality(@Channels) = 0 OR i.channel = ANY(@Channels))
          AND (cardinality(@InteractionTypes) = 0 OR i.interaction_type = ANY(@InteractionTypes))
          AND (cardinality(@QueueIds) = 0 OR i.queue_id = ANY(@QueueIds))
          AND (cardinality(@AgentIds) = 0 OR i.agent_id = ANY(@AgentIds))
          AND (cardinality(@BotIds) = 0 OR i.bot_id = ANY(@BotIds))
        GROUP BY GROUPING SETS ((1), ())
        """;

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, Request r, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(Sql, new
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
        }, cancellationToken: ct));
        return rows.AsList();
    }
}
