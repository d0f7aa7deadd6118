using Dapper;
using KoopidDashboard.Features.Dashboard.TopWords;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// TopWords' word tier (migration 0024, docs/performance.md "TopWords: the word tier"): per provider, UTC day
/// (<c>message_words_1d</c>) or UTC month (<c>message_words_1mo</c>), sender type and word, the tokens TopWords counts
/// (<see cref="Tokenizer"/>, after every exclusion).
/// <para>
/// The tokenizer is C#, so ingest cannot keep the counts by a SQL delta. It marks the days it writes as waiting
/// (<see cref="MarkDays"/> on the client path, <see cref="MarkChangedAsync"/> on the SQL path) in its own transaction, and
/// <see cref="RefreshAsync"/> (the worker, <c>rollups rebuild</c>) recomputes waiting days from the stored text under the
/// provider's ingest lock, so no batch of the provider runs meanwhile. TopWords reads a day from the tier only while it
/// is computed, and a month only while none of its days waits: its answer never depends on the worker's lag.
/// </para>
/// </summary>
public static class MessageWords
{
    public const string Days = "message_words_days";
    public const string DayTable = "message_words_1d";
    public const string MonthTable = "message_words_1mo";

    /// <summary>A waiting day is written again: it must settle anew before the worker recomputes it.</summary>
    private const string Wait = "ON CONFLICT (provider_id, bucket_start) DO UPDATE SET computed = false, dirtied_at = EXCLUDED.dirtied_at";

    /// <summary>The UTC day of a message in SQL, as <see cref="DayStart"/> computes it in C#.</summary>
    private const string DayOfSentAt = "date_bin('1 day', sent_at, TIMESTAMPTZ '1970-01-01 00:00:00+00')";

    public static DateTime DayStart(DateTime at) => new(at.Ticks - at.Ticks % TimeSpan.TicksPerDay, DateTimeKind.Utc);

    public static DateTime MonthStart(DateTime at) => new(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The client path (<see cref="NewMessages"/>): the UTC days of the batch's messages wait.</summary>
    public static NpgsqlBatchCommand MarkDays(IEnumerable<(long Provider, DateTime SentAt)> messages)
    {
        var days = messages.Select(m => (m.Provider, Day: DayStart(m.SentAt))).Distinct().Order().ToArray();
        var command = new NpgsqlBatchCommand($"""
            INSERT INTO {Days} (provider_id, bucket_start) SELECT * FROM unnest($1::bigint[], $2::timestamptz[])
            {Wait}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = days.Select(d => d.Provider).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = days.Select(d => d.Day).ToArray() });
        return command;
    }

    /// <summary>
    /// After a messages upsert (<c>changed_messages</c>, and <c>old_messages</c> unless <paramref name="onlyInserts"/>): the
    /// days of the rows written and of the stored rows they replaced (a message moved to another day leaves its old one) wait.
    /// </summary>
    public static async Task MarkChangedAsync(NpgsqlConnection connection, bool onlyInserts, CancellationToken ct)
    {
        var replaced = onlyInserts ? "" : "UNION ALL SELECT o.provider_id, o.sent_at FROM old_messages o JOIN changed_messages c USING (provider_id, message_id)";
        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO {Days} (provider_id, bucket_start)
            SELECT provider_id, {DayOfSentAt}
            FROM (SELECT provider_id, sent_at FROM changed_messages {replaced}) x
            GROUP BY 1, 2 ORDER BY 1, 2
            {Wait}
            """, cancellationToken: ct));
    }

    /// <summary>
    /// Recomputes up to <paramref name="maxDays"/> waiting days of one provider (<paramref name="providerId"/>, or the one
    /// whose day has waited longest) not written for <paramref name="settle"/>, in one transaction under the provider's
    /// ingest lock: their day rows, then their months' rows from the day rows. Returns the days recomputed (0: none waits).
    /// </summary>
    public static async Task<int> RefreshAsync(NpgsqlDataSource db, TimeSpan settle, int maxDays, long? providerId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var provider = await connection.QueryFirstOrDefaultAsync<long?>(new CommandDefinition($"""
            SELECT provider_id FROM {Days}
            WHERE NOT computed AND dirtied_at <= now() - @Settle AND (@ProviderId::bigint IS NULL OR provider_id = @ProviderId)
            ORDER BY dirtied_at LIMIT 1
            """, new { Settle = settle, ProviderId = providerId }, cancellationToken: ct));
        if (provider is not { } p)
            return 0;

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Rollups.LockProvidersAsync(connection, [p], ct);
        var days = (await connection.QueryAsync<DateTime>(new CommandDefinition($"""
            SELECT bucket_start FROM {Days}
            WHERE provider_id = @P AND NOT computed AND dirtied_at <= now() - @Settle
            ORDER BY bucket_start LIMIT @Max
            """, new { P = p, Settle = settle, Max = maxDays }, cancellationToken: ct))).ToArray();
        if (days.Length == 0)
            return 0; // another worker took them

        var rows = new List<(DateTime Day, string Sender, string Word, long Count)>();
        foreach (var day in days)
            foreach (var (sender, tokens) in await TokeniseDayAsync(connection, p, day, ct))
                rows.AddRange(tokens.Counts.Select(w => (day, sender, w.Key, w.Value)));

        var months = days.Select(MonthStart).Distinct().ToArray();
        await connection.ExecuteAsync(new CommandDefinition($"""
            DELETE FROM {DayTable} WHERE provider_id = @P AND bucket_start = ANY (@Days);
            INSERT INTO {DayTable} (provider_id, bucket_start, sender_type, word, count)
            SELECT @P, * FROM unnest(@RowDays::timestamptz[], @Senders::text[], @Words::text[], @Counts::bigint[]) ORDER BY 1, 2, 3;
            UPDATE {Days} SET computed = true WHERE provider_id = @P AND bucket_start = ANY (@Days);
            DELETE FROM {MonthTable} WHERE provider_id = @P AND bucket_start = ANY (@Months);
            INSERT INTO {MonthTable} (provider_id, bucket_start, sender_type, word, count)
            SELECT provider_id, date_trunc('month', bucket_start, 'UTC'), sender_type, word, sum(count)
            FROM {DayTable}
            WHERE provider_id = @P AND bucket_start >= @MonthsFrom AND bucket_start < @MonthsTo
              AND date_trunc('month', bucket_start, 'UTC') = ANY (@Months)
            GROUP BY 1, 2, 3, 4;
            """, new
        {
            P = p,
            Days = days,
            RowDays = rows.Select(r => r.Day).ToArray(),
            Senders = rows.Select(r => r.Sender).ToArray(),
            Words = rows.Select(r => r.Word).ToArray(),
            Counts = rows.Select(r => r.Count).ToArray(),
            Months = months,
            MonthsFrom = months.Min(),
            MonthsTo = months.Max().AddMonths(1),
        }, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return days.Length;
    }

    /// <summary>One UTC day's tokens per sender type, from the stored (redacted) text.</summary>
    private static async Task<Dictionary<string, Tokenizer>> TokeniseDayAsync(NpgsqlConnection connection, long providerId, DateTime day, CancellationToken ct)
    {
        var bySender = new Dictionary<string, Tokenizer>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(
            "SELECT sender_type, text FROM messages WHERE provider_id = $1 AND sent_at >= $2 AND sent_at < $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = providerId });
        command.Parameters.Add(new NpgsqlParameter { Value = day });
        command.Parameters.Add(new NpgsqlParameter { Value = day.AddDays(1) });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var sender = reader.GetString(0);
            if (!bySender.TryGetValue(sender, out var tokens))
                bySender[sender] = tokens = new Tokenizer();
            tokens.Add(reader.GetString(1));
        }
        return bySender;
    }

    /// <summary>
    /// Recomputes every waiting day (no settling), provider by provider; for tests, <c>rollups rebuild</c> and the bench after a
    /// load. Returns the days recomputed.
    /// </summary>
    public static async Task<long> CatchUpAsync(NpgsqlDataSource db, long? providerId, CancellationToken ct)
    {
        long total = 0;
        int done;
        while ((done = await RefreshAsync(db, TimeSpan.Zero, 31, providerId, ct)) > 0)
            total += done;
        return total;
    }

    /// <summary>
    /// For <c>rollups rebuild</c> (the caller holds the provider's ingest lock): drops the provider's tier and marks every
    /// day it has messages on as waiting, to be recomputed by <see cref="CatchUpAsync"/> once the transaction commits.
    /// </summary>
    public static Task ResetAsync(NpgsqlConnection connection, long providerId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            DELETE FROM {DayTable} WHERE provider_id = @P;
            DELETE FROM {MonthTable} WHERE provider_id = @P;
            DELETE FROM {Days} WHERE provider_id = @P;
            INSERT INTO {Days} (provider_id, bucket_start, dirtied_at)
            SELECT provider_id, {DayOfSentAt}, '-infinity'
            FROM messages WHERE provider_id = @P
            GROUP BY 1, 2 ORDER BY 1, 2;
            """, new { P = providerId }, cancellationToken: ct));

    /// <summary>
    /// Retention (the caller holds the provider's ingest lock): days and months before the cut-off's go; the cut-off's
    /// day lost its earlier messages, so it waits (and with it its month, which the worker then sums again).
    /// </summary>
    public static Task<int> PurgeAsync(NpgsqlConnection connection, long providerId, DateTime cutoff, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            DELETE FROM {DayTable} WHERE provider_id = @P AND bucket_start < @Day;
            DELETE FROM {MonthTable} WHERE provider_id = @P AND bucket_start < @Month;
            DELETE FROM {Days} WHERE provider_id = @P AND bucket_start < @Day;
            INSERT INTO {Days} (provider_id, bucket_start, dirtied_at) VALUES (@P, @Day, '-infinity') {Wait};
            """, new { P = providerId, Day = DayStart(cutoff), Month = MonthStart(cutoff) }, cancellationToken: ct));
}
