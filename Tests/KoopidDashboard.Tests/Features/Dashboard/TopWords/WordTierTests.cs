using System.Globalization;
using System.Text;
using Dapper;
using KoopidDashboard.Features.Dashboard.TopWords;
using KoopidDashboard.Features.Ingest;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.RedactedFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.TopWords;

/// <summary>
/// TopWords' word tier (docs/performance.md): whatever the tier's state — every day waiting, all computed, or corrections
/// waiting for the worker — TopWords answers exactly what the raw path answers; the tier is really read for computed
/// months and days and never for waiting ones; and what ingest and the worker keep equals a rebuild.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WordTierTests(PostgresFixture db)
{
    private static readonly string[] Vocabulary =
    [
        "refund", "order", "pending", "invoice", "charged", "twice", "technician", "école", "E\u0301COLE", "Rückerstattung", "l'été",
        "aujourd\u2019hui", "don't", "12345", "<EMAIL>", "<CREDIT_CARD>", "the", "por", "favor", "bestellung", "ÇA", "naïve", "x1",
    ];

    private static readonly string[] Senders = ["customer", "agent", "bot", "system"];

    private static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long Ms(int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int ms = 0) =>
        new DateTimeOffset(year, month, day, hour, minute, second, ms, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>(start, end, tz): partial edge days, whole months (March; February and April with few days of traffic), no whole day.</summary>
    private static readonly (long Start, long End, string Tz)[] Ranges =
    [
        (Ms(2026, 2, 27, 13, 17, 11, 500), Ms(2026, 4, 3, 8, 0), "UTC"),
        (Ms(2026, 3, 1), Ms(2026, 4, 1), "UTC"),
        (Ms(2026, 3, 10, 5, 30), Ms(2026, 3, 12, 5, 30), "Asia/Kolkata"),
        (Ms(2026, 3, 10, 1, 0), Ms(2026, 3, 10, 23, 0), "UTC"),
        (Ms(2026, 2, 1), Ms(2026, 5, 1), "America/New_York"),
    ];

    private static string Text(Random random) =>
        string.Join(random.Next(3) == 0 ? ", " : " ", Enumerable.Range(0, 1 + random.Next(8)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));

    /// <summary>400 messages (ids 1..400) from 2026-02-20 to 2026-04-10 (UTC) of every sender type, and their times.</summary>
    private static (List<object> Events, List<DateTime> SentAt) Messages(long p, Random random)
    {
        var origin = new DateTime(2026, 2, 20, 0, 0, 0, DateTimeKind.Utc);
        var sentAt = Enumerable.Range(0, 400).Select(_ => origin.AddMilliseconds(random.NextInt64((long)TimeSpan.FromDays(49).TotalMilliseconds))).ToList();
        return (sentAt.Select((at, i) => Message(p, i + 1, 1 + i % 50, Iso(at), Text(random), Senders[random.Next(Senders.Length)])).ToList(), sentAt);
    }

    private static long CountOf(string answer, string word) =>
        System.Text.Json.Nodes.JsonNode.Parse(answer[4..])!["rows"]!.AsArray().Where(r => (string)r!["word"]! == word).Select(r => (long)r!["count"]!).Single();

    private static async Task<string> TopWordsAsync(HttpClient client, (long Start, long End, string Tz) range, string sender)
    {
        using var response = await client.PostAsync("/Dashboard/TopWords", new StringContent(
            $"{{\"start\":{range.Start},\"end\":{range.End},\"tz\":\"{range.Tz}\",\"senderType\":\"{sender}\",\"limit\":500}}", Encoding.UTF8, "application/json"));
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Every range and sender type through both paths.</summary>
    private static async Task AssertSameAsRawAsync(HttpClient tier, HttpClient raw, string when)
    {
        foreach (var range in Ranges)
            foreach (var sender in (string[])["customer", "agent", "all", "bot"])
            {
                var (a, b) = (await TopWordsAsync(tier, range, sender), await TopWordsAsync(raw, range, sender));
                Assert.True(a.StartsWith("201 ", StringComparison.Ordinal), a);
                Assert.True(a == b, $"{when}, {range} {sender}:\n tier: {a}\n raw:  {b}");
            }
    }

    private async Task<List<string>> TierRowsAsync(long p)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<string>($"""
            SELECT concat_ws(' ', 'day', bucket_start, sender_type, word, count) FROM {MessageWords.DayTable} WHERE provider_id = @p
            UNION ALL
            SELECT concat_ws(' ', 'month', bucket_start, sender_type, word, count) FROM {MessageWords.MonthTable} WHERE provider_id = @p
            ORDER BY 1
            """, new { p })).ToList();
    }

    private async Task<Dictionary<DateTime, bool>> DaysAsync(long p)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(DateTime, bool)>($"SELECT bucket_start, computed FROM {MessageWords.Days} WHERE provider_id = @p", new { p }))
            .ToDictionary(d => d.Item1.ToUniversalTime(), d => d.Item2);
    }

    [Fact]
    public async Task TopWords_equals_the_raw_path_with_days_waiting_computed_and_corrected_and_the_tier_equals_a_rebuild()
    {
        // no background worker (KoopidApp's default): the test decides when days are computed
        await using var tierApp = new KoopidApp(db.ConnectionString);
        await using var rawApp = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Rollups:Enabled"] = "false" });
        var p = PostgresFixture.NewProviderId();
        var random = new Random(20261126);
        var (messages, sentAt) = Messages(p, random);
        await Ndjson.IngestAsync(tierApp.KoopidAdmin(), [Ndjson.Provider(p), .. messages]);
        var (tier, raw) = (tierApp.ProviderAdmin(p), rawApp.ProviderAdmin(p));

        // 1. every day of traffic waits: all raw
        var days = await DaysAsync(p);
        Assert.Equal(49, days.Count);
        Assert.All(days.Values, computed => Assert.False(computed));
        await AssertSameAsRawAsync(tier, raw, "all days waiting");

        // 2. computed
        Assert.Equal(49, await MessageWords.CatchUpAsync(db.DataSource, p, CancellationToken.None));
        Assert.All((await DaysAsync(p)).Values, Assert.True);
        await AssertSameAsRawAsync(tier, raw, "all computed");

        // 3. the tier is what answers: a month row changed by hand shows in March's answer, and a waiting day is read raw
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            var before = await TopWordsAsync(tier, Ranges[1], "all");
            Assert.Equal(before, await TopWordsAsync(raw, Ranges[1], "all"));
            await connection.ExecuteAsync($"UPDATE {MessageWords.MonthTable} SET count = count + 1000 WHERE provider_id = @p AND word = 'refund' AND sender_type = 'customer'", new { p });
            Assert.Equal(CountOf(before, "refund") + 1000, CountOf(await TopWordsAsync(tier, Ranges[1], "all"), "refund"));
            // a waiting day in March: the month is not read, its computed days are (from the day tier), the waiting one raw
            await connection.ExecuteAsync($"UPDATE {MessageWords.Days} SET computed = false WHERE provider_id = @p AND bucket_start = '2026-03-15'", new { p });
            Assert.Equal(before, await TopWordsAsync(tier, Ranges[1], "all"));
            await connection.ExecuteAsync($"UPDATE {MessageWords.DayTable} SET count = count + 7 WHERE provider_id = @p AND bucket_start = '2026-03-15'", new { p });
            Assert.Equal(before, await TopWordsAsync(tier, Ranges[1], "all"));
            await connection.ExecuteAsync($"UPDATE {MessageWords.DayTable} SET count = count + 7 WHERE provider_id = @p AND bucket_start = '2026-03-16'", new { p });
            Assert.NotEqual(before, await TopWordsAsync(tier, Ranges[1], "all"));
            // the worker puts everything right again (the day is recomputed and the month summed anew)
            await connection.ExecuteAsync($"UPDATE {MessageWords.Days} SET computed = false WHERE provider_id = @p AND bucket_start IN ('2026-03-15', '2026-03-16')", new { p });
            Assert.Equal(2, await MessageWords.CatchUpAsync(db.DataSource, p, CancellationToken.None));
            Assert.Equal(before, await TopWordsAsync(tier, Ranges[1], "all"));
        }

        // 4. corrections (the SQL path): new text, another sender, a message moved to another day and month, new messages
        var moved = new DateTime(2026, 4, 2, 10, 0, 0, DateTimeKind.Utc);
        await Ndjson.IngestAsync(tierApp.KoopidAdmin(),
            Message(p, 1, 1, Iso(new DateTime(2026, 3, 15, 12, 0, 0, DateTimeKind.Utc)), "refund refund école naïve"),
            Message(p, 2, 2, Iso(moved), "moved across the month"),
            Message(p, 3, 3, "2026-03-20T08:00:00.000Z", "technician twice", "agent"),
            Message(p, 1000, 3, "2026-03-21T23:59:59.999Z", "a late refund"));
        var after = await DaysAsync(p);
        foreach (var day in sentAt.Take(3).Concat([new DateTime(2026, 3, 15, 0, 0, 0, DateTimeKind.Utc), MessageWords.DayStart(moved), new DateTime(2026, 3, 20, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 21, 0, 0, 0, DateTimeKind.Utc)]))
            Assert.False(after[MessageWords.DayStart(day)], $"{day:u} should wait");
        Assert.True(after.Count(d => !d.Value) <= 7);
        await AssertSameAsRawAsync(tier, raw, "corrections waiting");

        // 5. computed again, and the tier equals a rebuild from the messages
        await MessageWords.CatchUpAsync(db.DataSource, p, CancellationToken.None);
        await AssertSameAsRawAsync(tier, raw, "corrections computed");
        var incremental = await TierRowsAsync(p);
        Assert.Contains(incremental, r => r.StartsWith("month 2026-03-01 00:00:00+00 customer refund ", StringComparison.Ordinal));
        // `rollups rebuild` starts the provider's tier afresh and computes it; `rollups words` then finds nothing waiting
        await using (var connection = await db.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync($"DELETE FROM {MessageWords.DayTable} WHERE provider_id = @p; DELETE FROM {MessageWords.MonthTable} WHERE provider_id = @p", new { p });
        var provider = p.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await CommandRunner.RunAsync(tierApp.Services, "rollups", "rebuild", "--provider", provider)).Exit);
        var rebuiltDays = await DaysAsync(p);
        Assert.All(rebuiltDays.Values, Assert.True);
        Assert.Equal(sentAt.Skip(3).Concat([moved, new DateTime(2026, 3, 15, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 20, 0, 0, 0, DateTimeKind.Utc),
            new DateTime(2026, 3, 21, 0, 0, 0, DateTimeKind.Utc)]).Select(MessageWords.DayStart).Distinct().Order(), rebuiltDays.Keys.Order());
        var (exit, output, _) = await CommandRunner.RunAsync(tierApp.Services, "rollups", "words", "--provider", provider);
        Assert.Equal((0, true), (exit, output.StartsWith("Word tier: 0 waiting day(s) recomputed", StringComparison.Ordinal)));
        Assert.Equal(incremental, await TierRowsAsync(p));
    }

    [Fact]
    public async Task The_background_worker_computes_the_days_ingest_marks_once_they_settle()
    {
        await using var app = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?>
        {
            ["Rollups:WordWorker"] = "true",
            ["Rollups:WordSettleSeconds"] = "0.5",
        });
        _ = app.Server; // start the host, and with it the worker
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p),
            Message(p, 1, 1, "2026-03-08T09:00:00.000Z", "refund please"), Message(p, 2, 1, "2026-03-09T09:00:00.000Z", "order pending"));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        Dictionary<DateTime, bool> days;
        while ((days = await DaysAsync(p)).Values.Any(computed => !computed))
        {
            Assert.True(DateTime.UtcNow < deadline, "the worker did not compute the waiting days within 30 s");
            await Task.Delay(200);
        }
        Assert.Equal(2, days.Count);
        Assert.Equal(["day 2026-03-08 00:00:00+00 customer refund 1", "day 2026-03-09 00:00:00+00 customer order 1", "day 2026-03-09 00:00:00+00 customer pending 1",
            "month 2026-03-01 00:00:00+00 customer order 1", "month 2026-03-01 00:00:00+00 customer pending 1", "month 2026-03-01 00:00:00+00 customer refund 1"], await TierRowsAsync(p));
    }

    [Fact]
    public void The_read_plan_takes_whole_months_without_waiting_days_then_computed_days_and_reads_the_rest_raw()
    {
        static DateTime D(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);
        var plan = WordTier.Plan(D(2, 27, 13), D(5, 2, 8), D(2, 28), D(5, 2), new HashSet<DateTime> { D(4, 10), D(4, 11), D(5, 1) });

        Assert.Equal([D(3, 1)], plan.Months);                                   // April has waiting days
        Assert.Equal([D(2, 28), .. Enumerable.Range(1, 30).Select(d => D(4, d)).Where(d => d != D(4, 10) && d != D(4, 11))], plan.Days);
        // the start edge, the waiting days (two merged), the last waiting day merged with the end edge
        Assert.Equal([(D(2, 27, 13), D(2, 28)), (D(4, 10), D(4, 12)), (D(5, 1), D(5, 2, 8))], plan.Raw);
    }
}
