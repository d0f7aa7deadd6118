using System.Diagnostics;
using Dapper;
using KoopidDashboard.Features.Dashboard.TopWords;
using KoopidDashboard.Infrastructure.Time;
using KoopidDashboard.Tests.Support;
using Xunit.Abstractions;

namespace KoopidDashboard.Tests.Features.Dashboard.TopWords;

/// <summary>
/// The measurement behind docs/metrics/TopWords.md: the C# tokenizer over a streamed reader versus tokenising in PostgreSQL
/// with regexp_matches, on 100 000 generated messages. Runs only with KOOPID_BENCH=1 (it takes a while); otherwise passes at once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TopWordsBenchmark(PostgresFixture db, ITestOutputHelper output)
{
    private const string PostgresSql = """
        WITH tokens AS (
            SELECT replace(replace(x.a[1], '’', ''''), 'ʼ', '''') AS word
            FROM messages m
            CROSS JOIN LATERAL regexp_matches(lower(normalize(regexp_replace(m.text, '<[A-Z_]{1,32}>', ' ', 'g'), NFC)),
                                              '[[:alnum:]]+(?:[''’ʼ][[:alnum:]]+)*', 'g') AS x(a)
            WHERE m.provider_id = @ProviderId AND m.sent_at >= @Start AND m.sent_at < @End AND m.sender_type = 'customer'
        ), counted AS (
            SELECT word, count(*) AS n FROM tokens
            WHERE word !~ '^[0-9'']+$' AND length(word) <= 64 AND NOT (word = ANY(@StopWords))
            GROUP BY word
        )
        SELECT word, n, sum(n) OVER () AS total FROM counted ORDER BY n DESC, word COLLATE "C" LIMIT 50
        """;

    [Fact]
    public async Task Csharp_tokenizer_versus_postgres_regexp_on_100k_messages()
    {
        if (Environment.GetEnvironmentVariable("KOOPID_BENCH") != "1")
            return;
        var p = PostgresFixture.NewProviderId();
        var start = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("INSERT INTO providers (provider_id, name) VALUES (@p, 'bench')", new { p });
            var inserted = await connection.ExecuteAsync("""
                INSERT INTO messages (provider_id, message_id, interaction_id, sent_at, sender_type, text, redacted_entities)
                SELECT @p, g, g / 10 + 1, @start + g * interval '2 seconds', 'customer',
                       (SELECT string_agg(v.w[1 + floor(random() * array_length(v.w, 1))::int], ' ')
                        FROM generate_series(1, 6 + g % 14),
                             (SELECT ARRAY['refund','order','l''été','Über','café','<EMAIL>','12345','the','de','und','aujourd''hui','CAFÉ',
                                     'señor','niño','straße','don''t','ça','naïve','pedido','reembolso','Bestellung','problema','compte',
                                     'mot','passe','<CREDIT_CARD>','please','delivery','Lieferung','livraison','entrega','2026','v2',
                                     'account','password','help!','why?','thanks,','Rückerstattung','garantía','où','está','müssen'] AS w) v),
                       '{}'
                FROM generate_series(1, 100000) g
                """, new { p, start });
            Assert.Equal(100_000, inserted);
            await connection.ExecuteAsync("ANALYZE messages");
            output.WriteLine($"lc_ctype = {await connection.QuerySingleAsync<string>("SHOW lc_ctype")}, server {connection.ServerVersion}");
        }
        var plan = BucketPlan.Create(start, start.AddDays(10), BucketInterval.Total, TimeZoneInfo.Utc);

        var csharp = new List<double>();
        var postgres = new List<double>();
        Tokenizer? result = null;
        List<(string Word, long N, long Total)> sql = [];
        for (var run = 0; run < 3; run++)
        {
            var watch = Stopwatch.StartNew();
            result = await Data.CountAsync(db.DataSource, p, plan, "customer", new Request(), CancellationToken.None);
            csharp.Add(watch.Elapsed.TotalMilliseconds);

            watch.Restart();
            await using var connection = await db.DataSource.OpenConnectionAsync();
            sql = (await connection.QueryAsync<(string, long, long)>(PostgresSql,
                new { ProviderId = p, plan.Start, plan.End, StopWords = StopWords.All.ToArray() }, commandTimeout: 600)).AsList();
            postgres.Add(watch.Elapsed.TotalMilliseconds);
        }

        var top = result!.Top(50).Select(kv => (kv.Key, kv.Value)).ToList();
        output.WriteLine($"C# tokenizer (streamed reader): {string.Join(", ", csharp.Select(ms => $"{ms:0} ms"))}; total tokens {result.Total}");
        output.WriteLine($"PostgreSQL regexp_matches:      {string.Join(", ", postgres.Select(ms => $"{ms:0} ms"))}; total tokens {sql.FirstOrDefault().Total}");
        output.WriteLine($"same top 50: {top.SequenceEqual(sql.Select(s => (s.Word, s.N)))}; C# top 5: {string.Join(", ", top.Take(5))}; SQL top 5: {string.Join(", ", sql.Take(5).Select(s => (s.Word, s.N)))}");
    }
}
