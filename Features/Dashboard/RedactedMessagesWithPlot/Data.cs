using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.RedactedMessagesWithPlot;

public static class Data
{
    /// <summary>Messages of one sender type in one category: a local day (width_bucket number) or a local hour of day (0–23).</summary>
    public sealed record CountRow(int Category, string SenderType, long Messages);

    private const string PerDaySql = """
        -- messages attributed to the local day holding sentAt (SPEC §4), split by senderType for the sender view
        SELECT width_bucket(m.sent_at, @Bounds) AS category, m.sender_type, count(*) AS messages
        FROM messages m
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
        GROUP BY 1, 2
        """;

    private const string PerHourSql = """
        -- messages by local hour of day of sentAt in tz (half-hour zones such as Asia/Kolkata included)
        SELECT extract(hour FROM m.sent_at AT TIME ZONE @Tz)::int AS category, m.sender_type, count(*) AS messages
        FROM messages m
        WHERE m.provider_id = @ProviderId
          AND m.sent_at >= @Start AND m.sent_at < @End
        GROUP BY 1, 2
        """;

    /// <summary>
    /// The rollup path (docs/performance.md): whole 15-minute steps from message_rollup_15m (its per-sender-type counts,
    /// unpivoted), the partial edges from the raw rows. A 15-minute step lies inside one local day and one local hour
    /// whenever the plan's bounds are on 15-minute steps (<see cref="RollupSplit"/>), so {0} (the category of the step's
    /// start) is the category of every message in it.
    /// </summary>
    private const string RollupSql = """
        WITH src AS (
            SELECT m.sent_at AS at, m.sender_type, 1::bigint AS messages
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
            UNION ALL
            SELECT r.bucket_start, s.sender_type, s.messages
            FROM (SELECT bucket_start, sum(from_customer) AS c, sum(from_agent) AS a, sum(from_bot) AS b, sum(from_system) AS y
                  FROM message_rollup_15m
                  WHERE provider_id = @ProviderId AND bucket_start >= @RollupStart AND bucket_start < @RollupEnd
                  GROUP BY bucket_start) r
            CROSS JOIN LATERAL (VALUES ('customer', r.c), ('agent', r.a), ('bot', r.b), ('system', r.y)) AS s (sender_type, messages)
            WHERE s.messages > 0
        )
        SELECT {0} AS category, sender_type, sum(messages)::bigint AS messages
        FROM src
        GROUP BY 1, 2
        """;

    private const string DayOf = "width_bucket(at, @Bounds)";
    private const string HourOf = "extract(hour FROM at AT TIME ZONE @Tz)::int";

    public static async Task<List<CountRow>> CountsAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, bool hourly, RollupSplit? split, CancellationToken ct)
    {
        var sql = split is null ? (hourly ? PerHourSql : PerDaySql) : string.Format(RollupSql, hourly ? HourOf : DayOf);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(sql,
            new { ProviderId = providerId, plan.Bounds, plan.Start, plan.End, Tz = plan.Zone.Id, split?.RollupStart, split?.RollupEnd },
            cancellationToken: ct));
        return rows.AsList();
    }
}
