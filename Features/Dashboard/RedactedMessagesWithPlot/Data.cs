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

    public static async Task<List<CountRow>> CountsAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, bool hourly, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<CountRow>(new CommandDefinition(hourly ? PerHourSql : PerDaySql,
            new { ProviderId = providerId, plan.Bounds, plan.Start, plan.End, Tz = plan.Zone.Id }, cancellationToken: ct));
        return rows.AsList();
    }
}
