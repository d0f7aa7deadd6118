using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// SPEC §6: malformed lines mixed into good ones at random (seeded) positions → exactly the good ones are stored
/// (rows counted in the database), every bad one is reported with its own line number, and the response is 200.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IngestFuzzTests(PostgresFixture db)
{
    private static readonly Func<long, long, byte[]>[] Malformed =
    [
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":{{id}},"channel":"sms" """),
        (p, id) => [.. Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":{{id}},"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T10:00:00Z","intent":" """), 0xC3, 0x28, 0xFF, .. "\"}"u8],
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"gossip","providerId":{{p}},"interactionId":{{id}}}"""),
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":{{id}},"channel":"sms","interactionType":"sms"}"""),
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":"{{id}}x","channel":"sms","interactionType":"sms","startedAt":"2026-03-08T10:00:00Z"}"""),
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":9223372036854775808,"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T10:00:00Z"}"""),
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":{{id}},"channel":"sms","interactionType":"sms","startedAt":"2026-13-45T99:00:00Z"}"""),
        (_, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":987654321987,"interactionId":{{id}},"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T10:00:00Z"}"""),
        (_, _) => Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)),
        (_, _) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)),
        (_, _) => "null"u8.ToArray(),
        (_, _) => "[1,2]"u8.ToArray(),
        (_, _) => "42"u8.ToArray(),
        (_, _) => "{}"u8.ToArray(),
        (_, _) => [0xFF, 0xFE, 0xFD],
        (p, id) => Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":{{id}},"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T10:00:00Z","sentiment":"very"}"""),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Malformed_lines_at_random_positions_are_rejected_one_by_one_and_exactly_the_good_ones_are_stored(int seed)
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var admin = app.KoopidAdmin();
        await Ndjson.IngestAsync(admin, Ndjson.Provider(p));
        var random = new Random(seed);

        var lines = new List<byte[]>();
        var bad = new SortedSet<int>();
        long good = 0, nextId = 1;
        for (var n = 1; n <= 300; n++)
        {
            var id = nextId++;
            if (random.Next(4) == 0)
            {
                lines.Add(Malformed[random.Next(Malformed.Length)](p, id + 1_000_000)); // ids no good line uses
                bad.Add(n);
            }
            else
            {
                lines.Add(Encoding.UTF8.GetBytes($$"""{"type":"interaction","providerId":{{p}},"interactionId":{{id}},"channel":"sms","interactionType":"sms","startedAt":"2026-03-08T10:00:00Z"}"""));
                good++;
            }
        }
        var body = lines.SelectMany((l, i) => i == 0 ? l : [(byte)'\n', .. l]).ToArray();
        using var response = await admin.PostAsync("/Ingest/Events", new ByteArrayContent(body) { Headers = { ContentType = new("application/x-ndjson") } });
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, text);
        var result = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(good, (long)result["accepted"]!);
        Assert.Equal(bad.ToList(), result["rejected"]!.AsArray().Select(r => (int)r!["line"]!).Order().ToList());
        Assert.DoesNotContain("   at ", text);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(good, await connection.QuerySingleAsync<long>("SELECT count(*) FROM interactions WHERE provider_id = @p", new { p }));
        Assert.Equal(0, await connection.QuerySingleAsync<long>("SELECT count(*) FROM interactions WHERE provider_id = @p AND interaction_id > 1000000", new { p }));
    }
}
