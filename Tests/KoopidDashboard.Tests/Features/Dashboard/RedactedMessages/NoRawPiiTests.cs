using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using KoopidDashboard.Tests.Support;
using static KoopidDashboard.Tests.Features.Dashboard.RedactedFixture;

namespace KoopidDashboard.Tests.Features.Dashboard.RedactedMessages;

/// <summary>
/// Known PII goes in through ingest; none of it may come back from any of the four redacted-data endpoints, in JSON,
/// NDJSON or CSV. The PII is what the real redaction engine catches (e-mails, Luhn-valid cards, E.164 phones, mod-97-valid
/// IBANs): against the placeholder redactor, which only knows 4111111111111111, the text-returning endpoints fail here.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class NoRawPiiTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;
    private long p;

    // [2026-03-08 00:00Z, 2026-03-09 00:00Z)
    private const long Start = 1772928000000, End = 1773014400000;

    private static readonly string[] Texts =
    [
        "Hi, mail me at zqxjana.lopez@examplezq.com or call +1 415 555 2671.",
        "Mi tarjeta es 4111111111111111 y mi IBAN ES91 2100 0418 4502 0005 1332",
        "Meine IBAN lautet DE89 3704 0044 0532 0130 00, Karte 4012 8888 8888 1881, Telefon +44 20 7183 8750",
        "Ma carte: 5555555555554444, courriel: zqxjmarie@exemplezq.fr",
    ];

    /// <summary>Compared after removing spaces, dashes and parentheses and lower-casing, on both sides.</summary>
    private static readonly string[] Needles =
    [
        "zqxjana.lopez@examplezq.com", "zqxjana", "examplezq", "+14155552671", "4155552671", "4111111111111111",
        "ES9121000418450200051332", "DE89370400440532013000", "4012888888881881", "+442071838750", "2071838750", "5555555555554444", "zqxjmarie", "exemplezq",
    ];

    public async Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        p = PostgresFixture.NewProviderId();
        var events = new List<object> { Ndjson.Provider(p, "Europe/Madrid"), Interaction(p, 1, "2026-03-08T09:00:00Z", "2026-03-08T09:30:00Z", sentiment: 0.1) };
        events.AddRange(Texts.Select((text, i) => Message(p, i + 1, 1, $"2026-03-08T09:0{i}:00Z", text)));
        events.Add(Message(p, 9, 1, "2026-03-08T09:09:00Z", "Agent note: customer wrote from zqxjana.lopez@examplezq.com", "agent", 7));
        var result = await Ndjson.IngestAsync(app.KoopidAdmin(), events.ToArray());
        Assert.Equal(events.Count, (int)result["accepted"]!);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task ConversationStats_returns_no_raw_pii()
    {
        var client = app.ProviderAdmin(p);
        var url = $"/Dashboard/{p}/ConversationStats?start={Start}&end={End}";

        var json = await GetObjectAsync(client, url);
        Assert.True((long)json["totals"]!["redactedEntities"]! >= 1);
        AssertClean("ConversationStats JSON", Strings(json));
        AssertClean("ConversationStats CSV", await GetTextAsync(client, url, "text/csv"));
    }

    [Fact]
    public async Task RedactedMessages_returns_no_raw_pii_in_json_ndjson_or_csv()
    {
        var client = app.ProviderAdmin(p);
        var url = $"/Dashboard/{p}/RedactedMessages?start={Start}&end={End}";

        var page = await GetObjectAsync(client, url);
        Assert.Equal(5, page["messages"]!.AsArray().Count);
        AssertClean("RedactedMessages JSON", Strings(page));
        var ndjson = await GetTextAsync(client, url, "application/x-ndjson");
        AssertClean("RedactedMessages NDJSON", string.Join('\n', ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Strings(JsonNode.Parse(l)))));
        AssertClean("RedactedMessages CSV", await GetTextAsync(client, url, "text/csv"));
    }

    [Theory]
    [InlineData("daily")]
    [InlineData("hourly")]
    [InlineData("sender")]
    public async Task RedactedMessagesWithPlot_returns_no_raw_pii(string viewtype)
    {
        var body = await GetObjectAsync(app.ProviderAdmin(p), $"/Dashboard/{p}/RedactedMessagesWithPlot?start={Start}&end={End}&viewtype={viewtype}");

        Assert.Equal(5, body["extractedMessages"]!.AsArray().Count);
        AssertClean($"RedactedMessagesWithPlot {viewtype}", Strings(body));
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("all")]
    public async Task TopWords_returns_no_raw_pii(string senderType)
    {
        var client = app.ProviderAdmin(p);
        var body = $"{{\"start\":{Start},\"end\":{End},\"limit\":500,\"senderType\":\"{senderType}\"}}";

        using var json = await client.PostAsync("/Dashboard/TopWords", new StringContent(body, Encoding.UTF8, "application/json"));
        var result = await Ndjson.ReadObjectAsync(json);
        Assert.NotEmpty(result["rows"]!.AsArray());
        AssertClean($"TopWords {senderType} JSON", Strings(result));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/Dashboard/TopWords") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("text/csv");
        using var csv = await client.SendAsync(request);
        AssertClean($"TopWords {senderType} CSV", await csv.Content.ReadAsStringAsync());
    }

    private static void AssertClean(string where, string text)
    {
        var haystack = Normalize(text);
        var leaked = Needles.Where(n => haystack.Contains(Normalize(n), StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{where} returned raw PII: {string.Join(", ", leaked)}");
    }

    private static string Normalize(string text) => Separators().Replace(text, "").ToLowerInvariant();

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex Separators();

    /// <summary>Every property name and value of a JSON document, decoded (System.Text.Json escapes + and &lt; in its output).</summary>
    private static string Strings(JsonNode? node) => node switch
    {
        JsonObject o => string.Join('\n', o.Select(kv => kv.Key + "\n" + Strings(kv.Value))),
        JsonArray a => string.Join('\n', a.Select(Strings)),
        JsonValue v => v.TryGetValue<string>(out var s) ? s : v.ToJsonString(),
        _ => "",
    };
}
