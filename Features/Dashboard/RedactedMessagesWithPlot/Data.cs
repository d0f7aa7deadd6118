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
    /// The rollup path (docs/performance.md): whole UTC hours [HourStart, HourEnd) from message_rollup_1h_total, the other
    /// whole 15-minute steps from message_rollup_15m (both unpivoted by sender type), the partial edges from the raw rows.
    /// A step or hour lies inside one local day whenever the plan's bounds are on its grid (<see cref="RollupSplit"/>), and
    /// inside one local hour whenever the zone's offsets are whole multiples of it (<see cref="OnGrid"/>), so {0} (the
    /// category of its start) is the category of every message in it. No hourly tier: an empty hour range (RollupSplit.HoursFor).
    /// </summary>
    private const string RollupSql = """
        WITH steps AS (
            SELECT bucket_start, sum(from_customer) AS c, sum(from_agent) AS a, sum(from_bot) AS b, sum(from_system) AS y
            FROM message_rollup_15m
            WHERE provider_id = @ProviderId
              AND ((bucket_start >= @RollupStart AND bucket_start < @HourStart) OR (bucket_start >= @HourEnd AND bucket_start < @RollupEnd))
            GROUP BY bucket_start
            UNION ALL
            SELECT bucket_start, from_customer, from_agent, from_bot, from_system
            FROM message_rollup_1h_total
            WHERE provider_id = @ProviderId AND bucket_start >= @HourStart AND bucket_start < @HourEnd
        ),
        src AS (
            SELECT m.sent_at AS at, m.sender_type, 1::bigint AS messages
            FROM messages m
            WHERE m.provider_id = @ProviderId
              AND ((m.sent_at >= @Start AND m.sent_at < @RollupStart) OR (m.sent_at >= @RollupEnd AND m.sent_at < @End))
            UNION ALL
            SELECT r.bucket_start, s.sender_type, s.messages
            FROM steps r
            CROSS JOIN LATERAL (VALUES ('customer', r.c), ('agent', r.a), ('bot', r.b), ('system', r.y)) AS s (sender_type, messages)
            WHERE s.messages > 0
        )
        SELECT {0} AS category, sender_type, sum(messages)::bigint AS messages
        FROM src
        GROUP BY 1, 2
        """;

    private const string DayOf = "width_bucket(at, @Bounds)";
    private const string HourOf = "extract(hour FROM at AT TIME ZONE @Tz)::int";

    /// <summary>True when every UTC offset the zone has between <paramref name="from"/> and <paramref name="to"/> (base and
    /// each adjustment rule in force then) is a whole multiple of <paramref name="grid"/>: then a step or UTC hour on that
    /// grid never straddles two local hours. Zones' early local mean times (e.g. −4:56:02) fail it, hence the range.</summary>
    public static bool OnGrid(TimeZoneInfo zone, DateTime from, DateTime to, TimeSpan grid) =>
        zone.BaseUtcOffset.Ticks % grid.Ticks == 0
        && zone.GetAdjustmentRules()
            .Where(rule => rule.DateStart <= to.AddDays(1) && rule.DateEnd >= from.AddDays(-1)) // rule dates are local: a day of slack
            .All(rule => (zone.BaseUtcOffset + rule.BaseUtcOffsetDelta).Ticks % grid.Ticks == 0
                         && (zone.BaseUtcOffset + rule.BaseUtcOffsetDelta + rule.DaylightDelta).Ticks % grid.Ticks == 0);

    public static async Task<List<CountRow>> CountsAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, bool hourly, RollupSplit? split, CancellationToken ct)
    {
        // the hour-of-day view needs every step (or hour) inside one local hour; by-day buckets only need the plan's bounds
        if (hourly && split is not null && !OnGrid(plan.Zone, plan.Start, plan.End, TimeSpan.FromMinutes(15)))
            split = null;
        var (hourStart, hourEnd) = RollupSplit.HoursFor(split, !hourly || OnGrid(plan.Zone, plan.Start, plan.End, TimeSpan.FromHours(1)));
        var sql = split is null ? (hourly ? PerHourSql : PerDaySql) : string.Format(RollupSql, hourly ? HourOf : DayOf);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(sql, new
        {
            ProviderId = providerId,
            plan.Bounds,
            plan.Start,
            plan.End,
            Tz = plan.Zone.Id,
            split?.RollupStart,
            split?.RollupEnd,
            HourStart = hourStart,
            HourEnd = hourEnd,
        }, cancellationToken: ct));
        return rows.AsList();
    }
}
