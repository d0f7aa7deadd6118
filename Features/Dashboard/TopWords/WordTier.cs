using System.Data;
using Dapper;
using KoopidDashboard.Features.Ingest;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.TopWords;

/// <summary>
/// The rollup path of TopWords without interaction filters (docs/performance.md "TopWords: the word tier"): whole UTC months
/// of the range whose days are all computed from <c>message_words_1mo</c>, the other computed whole UTC days from
/// <c>message_words_1d</c>, and the rest — the partial days at the edges and the days still waiting for the worker
/// (<see cref="MessageWords"/>) — tokenised from the raw text as the raw path does. The tier holds exactly the tokens the
/// <see cref="Tokenizer"/> would count, per sender type, so the sums equal the raw path's counts.
/// </summary>
public static class WordTier
{
    /// <summary>Sums of the tier's words over the months and days read; the sender type 'all' sums every sender type.</summary>
    private const string TierSql = $"""
        SELECT word, sum(count)::bigint FROM (
            SELECT w.word, w.count FROM {MessageWords.MonthTable} w
            WHERE w.provider_id = $1 AND w.bucket_start = ANY ($2) AND ($4 = 'all' OR w.sender_type = $4)
            UNION ALL
            SELECT w.word, w.count FROM {MessageWords.DayTable} w
            WHERE w.provider_id = $1 AND w.bucket_start = ANY ($3) AND ($4 = 'all' OR w.sender_type = $4)
        ) x
        GROUP BY word
        """;

    /// <summary>One raw range's redacted text, as <see cref="Data"/> reads it without filters.</summary>
    private const string RawSql = """
        SELECT m.text FROM messages m
        WHERE m.provider_id = $1 AND m.sent_at >= $2 AND m.sent_at < $3 AND ($4 = 'all' OR m.sender_type = $4)
        """;

    /// <summary>The counts, or null when the range holds no whole UTC day (the raw path then reads it all).</summary>
    public static async Task<Tokenizer?> CountAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, string senderType, CancellationToken ct)
    {
        var dayFrom = MessageWords.DayStart(plan.Start.AddTicks(TimeSpan.TicksPerDay - 1));
        var dayTo = MessageWords.DayStart(plan.End);
        if (dayFrom >= dayTo)
            return null;

        await using var connection = await db.OpenConnectionAsync(ct);
        // one snapshot: the days' state and the rows read agree even while the worker or ingest commits
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var waiting = (await connection.QueryAsync<DateTime>(new CommandDefinition($"""
            SELECT bucket_start FROM {MessageWords.Days}
            WHERE provider_id = @ProviderId AND bucket_start >= @From AND bucket_start < @To AND NOT computed
            """, new { ProviderId = providerId, From = dayFrom, To = dayTo }, cancellationToken: ct))).ToHashSet();
        var read = Plan(plan.Start, plan.End, dayFrom, dayTo, waiting);

        var tokens = new Tokenizer();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(TierSql, providerId, read.Months.ToArray(), read.Days.ToArray(), senderType));
        foreach (var (from, to) in read.Raw)
            batch.BatchCommands.Add(Command(RawSql, providerId, from, to, senderType));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            tokens.AddCounted(reader.GetString(0), reader.GetInt64(1));
        while (await reader.NextResultAsync(ct))
            while (await reader.ReadAsync(ct))
                tokens.Add(reader.GetString(0));
        return tokens;
    }

    /// <summary>What to read for [start, end): tier months, tier days, and raw ranges (edges and waiting days, merged).</summary>
    public sealed record ReadPlan(List<DateTime> Months, List<DateTime> Days, List<(DateTime From, DateTime To)> Raw);

    /// <summary>
    /// Splits [<paramref name="start"/>, <paramref name="end"/>) whose whole UTC days are [<paramref name="dayFrom"/>,
    /// <paramref name="dayTo"/>): a UTC month inside them with no <paramref name="waiting"/> day is read whole from the month
    /// tier, another computed day from the day tier, everything else raw.
    /// </summary>
    public static ReadPlan Plan(DateTime start, DateTime end, DateTime dayFrom, DateTime dayTo, IReadOnlySet<DateTime> waiting)
    {
        var plan = new ReadPlan([], [], []);
        void Raw(DateTime from, DateTime to)
        {
            if (from >= to)
                return;
            if (plan.Raw.Count > 0 && plan.Raw[^1].To == from)
                plan.Raw[^1] = (plan.Raw[^1].From, to);
            else
                plan.Raw.Add((from, to));
        }

        Raw(start, dayFrom);
        for (var day = dayFrom; day < dayTo;)
        {
            var month = MessageWords.MonthStart(day);
            if (day == month && month.AddMonths(1) <= dayTo && !waiting.Any(d => d >= month && d < month.AddMonths(1)))
            {
                plan.Months.Add(month);
                day = month.AddMonths(1);
                continue;
            }
            if (waiting.Contains(day))
                Raw(day, day.AddDays(1));
            else
                plan.Days.Add(day);
            day = day.AddDays(1);
        }
        Raw(dayTo, end);
        return plan;
    }

    private static NpgsqlBatchCommand Command(string sql, long providerId, object first, object second, string senderType)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = providerId });
        command.Parameters.Add(new NpgsqlParameter { Value = first });
        command.Parameters.Add(new NpgsqlParameter { Value = second });
        command.Parameters.Add(new NpgsqlParameter { Value = senderType });
        return command;
    }
}
