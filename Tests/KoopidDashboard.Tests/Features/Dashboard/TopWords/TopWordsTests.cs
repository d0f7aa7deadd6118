using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using KoopidDashboard.Features.Dashboard.TopWords;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.RedactedFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.TopWords;

[Collection(PostgresCollection.Name)]
public sealed class TopWordsTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    // [2026-03-08 00:00Z, 2026-03-09 00:00Z)
    private const string Range = "\"start\":1772928000000,\"end\":1773014400000";

    private async Task<long> MultilingualProviderAsync()
    {
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p), Interaction(p, 1, "2026-03-08T09:00:00Z"),
            // quiero, reembolso, pedido (hola un del por favor: stop words; 12345: a number)
            Message(p, 1, 1, "2026-03-08T09:00:00Z", "Hola, quiero un reembolso del pedido 12345 por favor"),
            // refund, order, order, number (my please the is: stop words; 98765: a number)
            Message(p, 2, 1, "2026-03-08T09:01:00Z", "Refund my ORDER please, the order number is 98765"),
            // möchte, rückerstattung, bestellung
            Message(p, 3, 1, "2026-03-08T09:02:00Z", "Ich möchte eine Rückerstattung für die Bestellung"),
            // voudrais, l'été, aujourd'hui (’ read as '), refund (je, don't: stop words)
            Message(p, 4, 1, "2026-03-08T09:03:00Z", "Je voudrais l'été, aujourd\u2019hui! Don't refund"),
            // email, card, école ×3 (upper case, precomposed, decomposed e + U+0301); placeholders are not words
            Message(p, 5, 1, "2026-03-08T09:04:00Z", "email me: <EMAIL> or card <CREDIT_CARD> ÉCOLE école e\u0301cole"),
            Message(p, 6, 1, "2026-03-08T09:05:00Z", "refund approved", "agent"),
            Message(p, 7, 1, "2026-03-09T00:00:00Z", "outside outside outside"));
        return p;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "text/plain"); // the seed documents */*

    [Fact]
    public async Task Customer_words_are_counted_exactly_across_languages_with_stop_words_numbers_and_placeholders_removed()
    {
        var p = await MultilingualProviderAsync();

        using var response = await app.ProviderAdmin(p).PostAsync("/Dashboard/TopWords", Body($"{{{Range},\"limit\":5}}"));
        var body = await Ndjson.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal((p, 1772928000000, 1773014400000, "total", "customer"),
            ((long)body["providerId"]!, (long)body["start"]!, (long)body["end"]!, (string)body["interval"]!, (string)body["senderType"]!));
        // 3 + 4 + 3 + 4 + 5 = 19 counted tokens
        Assert.Equal(19, (long)body["totalTokens"]!);
        var rows = body["rows"]!.AsArray().Select(r => ((string)r!["word"]!, (long)r["count"]!, (double)r["share"]!)).ToList();
        // école 3; order and refund 2 (ties by word); then the first words of count 1 in ordinal order
        Assert.Equal([("école", 3L, 3 / 19.0), ("order", 2L, 2 / 19.0), ("refund", 2L, 2 / 19.0), ("aujourd'hui", 1L, 1 / 19.0), ("bestellung", 1L, 1 / 19.0)], rows);
    }

    [Fact]
    public async Task Sender_type_picks_whose_messages_and_csv_lists_the_rows()
    {
        var p = await MultilingualProviderAsync();
        var client = app.ProviderAdmin(p);

        using var response = await client.PostAsync("/Dashboard/TopWords", Body($"{{{Range},\"senderType\":\"agent\"}}"));
        var body = await Ndjson.ReadObjectAsync(response);
        Assert.Equal(2, (long)body["totalTokens"]!);
        Assert.Equal(["approved", "refund"], body["rows"]!.AsArray().Select(r => (string)r!["word"]!));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/Dashboard/TopWords") { Content = Body($"{{{Range},\"senderType\":\"agent\"}}") };
        request.Headers.Accept.ParseAdd("text/csv");
        using var csv = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, csv.StatusCode);
        Assert.Equal("word,count,share\r\napproved,1,0.5\r\nrefund,1,0.5\r\n", await csv.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Both_roles_may_call_it_and_a_koopid_admin_names_the_provider()
    {
        var p = await MultilingualProviderAsync();

        using var asKoopidAdmin = await app.KoopidAdmin().PostAsync("/Dashboard/TopWords", Body($"{{{Range},\"providerId\":{p}}}"));
        using var koopidAdminWithoutProvider = await app.KoopidAdmin().PostAsync("/Dashboard/TopWords", Body($"{{{Range}}}"));
        using var asOtherProvider = await app.ProviderAdmin(p + 1).PostAsync("/Dashboard/TopWords", Body($"{{{Range},\"providerId\":{p}}}"));
        using var emptyBody = await app.ProviderAdmin(p).PostAsync("/Dashboard/TopWords", Body(""));

        Assert.Equal(HttpStatusCode.Created, asKoopidAdmin.StatusCode);
        Assert.Equal(19, (long)(await Ndjson.ReadObjectAsync(asKoopidAdmin))["totalTokens"]!);
        Assert.Equal(HttpStatusCode.BadRequest, koopidAdminWithoutProvider.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOtherProvider.StatusCode);
        Assert.Equal(HttpStatusCode.Created, emptyBody.StatusCode); // all defaults: the last 24 h, nothing in it
        Assert.Empty((await Ndjson.ReadObjectAsync(emptyBody))["rows"]!.AsArray());
    }

    [Theory]
    [InlineData("\"limit\":0", "limit")]
    [InlineData("\"limit\":501", "limit")]
    [InlineData("\"senderType\":\"robot\"", "senderType")]
    [InlineData("\"tz\":\"Nowhere/Land\"", "tz")]
    public async Task Invalid_fields_are_400_problems_naming_the_field(string field, string name)
    {
        var p = await MultilingualProviderAsync();
        using var response = await app.ProviderAdmin(p).PostAsync("/Dashboard/TopWords", Body($"{{{Range},{field}}}"));
        Assert.Contains(name, await ProblemFieldsAsync(response));
    }

    [Theory]
    [InlineData("it's 'quoted' dogs' end", "quoted dogs end")]        // it's: a stop word; outer apostrophes are not part of a word
    [InlineData("<URL> <IP_ADDRESS><US_SSN> <notaplaceholder> <>", "notaplaceholder")]
    [InlineData("2026 3.14 covid19 v2 12'34", "covid19 v2")]          // pure numbers go, words with digits stay
    [InlineData("NAÏVE naïve cafe\u0301 café", "naïve naïve café café")]
    [InlineData("straße STRASSE 東京 مرحبا 😀emoji", "straße strasse 東京 مرحبا emoji")]
    [InlineData("l\u02BChomme", "l'homme")]
    public void Tokens_follow_the_documented_rules(string text, string expected)
    {
        var tokenizer = new Tokenizer();
        tokenizer.Add(text);
        var expectedCounts = expected.Split(' ').GroupBy(w => w).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal), tokenizer.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Split(' ').Length, tokenizer.Total);
    }

    [Fact]
    public void The_ascii_fast_path_counts_what_the_unicode_categories_count()
    {
        // every ASCII character, and non-ASCII letters, marks, digits, apostrophes and separators next to them
        string[] pieces = [.. Enumerable.Range(0, 128).Select(c => ((char)c).ToString()), "é", "e\u0301", "ß", "東", "٣", "’", "ʼ", "\u00A0", "😀",
            "<EMAIL>", "<URL>", "<x>", "don't", "the", "AND", new string('q', Tokenizer.MaxTokenLength), "Zz9"];
        var random = new Random(20261126);
        var (fast, reference) = (new Tokenizer(), new Tokenizer(asciiFastPath: false));
        for (var text = 0; text < 2_000; text++)
        {
            var line = string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            fast.Add(line);
            reference.Add(line);
        }
        Assert.True(reference.Total > 5_000, $"only {reference.Total} tokens");
        Assert.Equal(reference.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal), fast.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(reference.Total, fast.Total);
    }

    [Fact]
    public void Overlong_tokens_and_lone_surrogates_are_not_words()
    {
        var tokenizer = new Tokenizer();
        tokenizer.Add(new string('x', Tokenizer.MaxTokenLength + 1) + " ok\ud800fine " + new string('y', Tokenizer.MaxTokenLength));
        Assert.Equal(["fine", new string('y', Tokenizer.MaxTokenLength)], tokenizer.Counts.Keys.Order(StringComparer.Ordinal));
    }
}
