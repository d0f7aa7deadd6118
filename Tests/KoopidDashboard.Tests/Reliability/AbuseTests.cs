using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dapper;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// Abuse limits over the whole surface (endpoints from the endpoint list): per-API-key rate limiting, body size limits
/// (dashboard 1 MiB, ingest Ingest:MaxBodyBytes; with and without Content-Length), security headers on every endpoint and
/// error, the apiKey never in a log line, and no PII in logs at any level.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AbuseTests(PostgresFixture db)
{
    private const long DayStart = TwoTenantWorld.DayStart;
    private const string Range = """{"start":1772928000000,"end":1773014400000,"interval":"total"}""";

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{what}: expected {(int)status}, got {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_API_key_over_its_budget_gets_429_with_Retry_After_whether_sent_as_header_or_query_while_another_key_is_unaffected()
    {
        await using var app = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Protection:RequestsPerMinute"] = "3" });
        var p = PostgresFixture.NewProviderId();
        var store = app.Services.GetRequiredService<ApiKeyStore>();
        var (key, _) = await store.CreateAsync(KoopidRoles.ProviderAdmin, p, "busy");
        var (otherKey, _) = await store.CreateAsync(KoopidRoles.ProviderAdmin, p, "quiet");
        var header = app.CreateClient();
        header.DefaultRequestHeaders.Add("X-Api-Key", key);
        var anonymous = app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            // The same key through both doors shares one budget: the partition is the key, not how it was sent.
            last = i % 2 == 0
                ? await header.PostAsync("/Dashboard/Interactions", new StringContent(Range))
                : await anonymous.PostAsync($"/Dashboard/Interactions?apiKey={key}", new StringContent(Range));
            statuses.Add(last.StatusCode);
        }
        using var other = await anonymous.PostAsync($"/Dashboard/Interactions?apiKey={otherKey}", new StringContent(Range));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        await AssertProblem(last!, HttpStatusCode.TooManyRequests, "4th request");
        Assert.InRange(int.Parse(last!.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.DoesNotContain(key, string.Join('\n', app.Logs.Lines));
    }

    [Fact]
    public async Task Dashboard_bodies_over_1_MiB_get_413_problem_on_every_POST_endpoint_with_or_without_Content_Length()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        EndpointCatalog.Capture(app);
        var p = PostgresFixture.NewProviderId();
        var client = app.ProviderAdmin(p);
        var big = "{\"partnerId\":\"" + new string('x', (1 << 20) + 1) + "\"}";
        var posts = EndpointCatalog.All.Where(e => e.IsPost && !e.IsIngest).ToList();
        Assert.NotEmpty(posts);
        foreach (var e in posts)
        {
            var path = e.Path(p.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var sized = await client.PostAsync(path, new StringContent(big, Encoding.UTF8, "application/json"));
            using var chunked = await client.PostAsync(path, new ChunkedContent(Encoding.UTF8.GetBytes(big)));
            await AssertProblem(sized, HttpStatusCode.RequestEntityTooLarge, $"{e.Key} with Content-Length");
            await AssertProblem(chunked, HttpStatusCode.RequestEntityTooLarge, $"{e.Key} chunked");
        }
    }

    [Fact]
    public async Task Ingest_bodies_over_the_limit_get_413_and_store_nothing_with_or_without_Content_Length()
    {
        await using var app = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Ingest:MaxBodyBytes"] = "65536" });
        var p = PostgresFixture.NewProviderId();
        var admin = app.KoopidAdmin();
        await Ndjson.IngestAsync(admin, Ndjson.Provider(p));
        // 1000 good interaction lines ≈ 150 KB > 64 KiB.
        var body = Ndjson.Lines(Enumerable.Range(1, 1000).Select(i => (object)new
        {
            type = "interaction", providerId = p, interactionId = i, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T10:00:00Z",
        }).ToArray());
        Assert.True(Encoding.UTF8.GetByteCount(body) > 65536);

        using var sized = await admin.PostAsync("/Ingest/Events", new StringContent(body, Encoding.UTF8, "application/x-ndjson"));
        using var chunked = await admin.PostAsync("/Ingest/Events", new ChunkedContent(Encoding.UTF8.GetBytes(body), "application/x-ndjson"));
        using var fits = await admin.PostAsync("/Ingest/Events", new StringContent(Ndjson.Lines(Ndjson.Provider(p)), Encoding.UTF8, "application/x-ndjson"));

        await AssertProblem(sized, HttpStatusCode.RequestEntityTooLarge, "with Content-Length");
        await AssertProblem(chunked, HttpStatusCode.RequestEntityTooLarge, "chunked");
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.QuerySingleAsync<long>("SELECT count(*) FROM interactions WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task Every_endpoint_and_every_error_carries_the_security_headers()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        EndpointCatalog.Capture(app);
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), TwoTenantWorld.Tenant(p, "headers"));
        var pid = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var missing = new List<string>();

        async Task Check(string what, HttpClient client, HttpRequestMessage request)
        {
            using (request)
            using (var response = await client.SendAsync(request))
            {
                string? Header(string name) => response.Headers.TryGetValues(name, out var v) ? v.Single() : null;
                if (Header("X-Content-Type-Options") != "nosniff" || Header("X-Frame-Options") != "DENY" || Header("Referrer-Policy") != "no-referrer"
                    || Header("Content-Security-Policy") != "default-src 'none'; frame-ancestors 'none'" || response.Headers.CacheControl?.NoStore != true)
                    missing.Add($"{what} → {(int)response.StatusCode}");
            }
        }

        foreach (var e in EndpointCatalog.All)
        {
            var allowed = e.Allows(KoopidRoles.ProviderAdmin) ? app.ProviderAdmin(p) : app.KoopidAdmin();
            var fields = e.ValidFields(DayStart);
            var query = e.Allows(KoopidRoles.ProviderAdmin) || e.ProviderInRoute || !e.ProviderScoped ? Array.Empty<KeyValuePair<string, string>>() : [new KeyValuePair<string, string>("providerId", pid)];
            await Check($"{e.Key} (allowed)", allowed, e.Build(e.Path(pid), fields, query));
            await Check($"{e.Key} (anonymous)", app.CreateClient(), e.Build(e.Path(pid), fields));
            await Check($"{e.Key} (wrong role)", app.ClientAs(KoopidRoles.Ingest, p), e.Build(e.Path(pid), fields));
            await Check($"{e.Key} (invalid)", allowed, e.Build(e.Path(pid), new System.Text.Json.Nodes.JsonObject { ["start"] = "x", ["end"] = -1, ["limit"] = -1, ["interval"] = "PT1S" }));
            await Check($"{e.Key} (wrong verb)", allowed, new HttpRequestMessage(e.IsPost ? HttpMethod.Delete : HttpMethod.Put, e.Path(pid)));
        }
        foreach (var path in new[] { "/health/live", "/health/ready", "/openapi/v1.json", "/no/such/path", "/Dashboard/NoSuchThing" })
            await Check(path, app.KoopidAdmin(), new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Empty(missing);
    }

    [Fact]
    public async Task The_apiKey_never_reaches_a_log_line_whatever_the_endpoint_or_outcome()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        EndpointCatalog.Capture(app);
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), TwoTenantWorld.Tenant(p, "keys"));
        var store = app.Services.GetRequiredService<ApiKeyStore>();
        var (key, _) = await store.CreateAsync(KoopidRoles.ProviderAdmin, p, "logged?");
        var (adminKey, _) = await store.CreateAsync(KoopidRoles.KoopidAdmin, null, "logged?");
        var (revokedKey, revoked) = await store.CreateAsync(KoopidRoles.ProviderAdmin, p, "revoked");
        await store.RevokeAsync(revoked.KeyId);
        const string unknownKey = "kpd_ThisKeyDoesNotExistButLooksReal0123456789abcdefXYZ";
        var pid = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var anonymous = app.CreateClient();

        foreach (var e in EndpointCatalog.All)
            foreach (var k in new[] { key, adminKey, revokedKey, unknownKey })
            {
                var query = new List<KeyValuePair<string, string>> { new("apiKey", k), new("partnerId", "77") };
                if (k == adminKey && e.ProviderScoped && !e.ProviderInRoute)
                    query.Add(new("providerId", pid));
                using var byQuery = await anonymous.SendAsync(e.Build(e.Path(pid), e.ValidFields(DayStart), query));
                using var invalid = await anonymous.SendAsync(e.Build(e.Path(pid), new System.Text.Json.Nodes.JsonObject { ["start"] = "x" }, query));
                var request = e.Build(e.Path(pid), e.ValidFields(DayStart));
                request.Headers.Add("X-Api-Key", k);
                using var byHeader = await anonymous.SendAsync(request);
            }
        using var unknownPath = await anonymous.GetAsync($"/Dashboard/Nothing?apiKey={key}");

        var logs = string.Join('\n', app.Logs.Lines);
        Assert.Contains("partner 77", logs); // the requests were logged
        foreach (var k in new[] { key, adminKey, revokedKey, unknownKey })
        {
            Assert.DoesNotContain(k, logs);
            Assert.DoesNotContain(k[..20], logs); // nor a recognisable part of it
        }
    }

    [Fact]
    public async Task Known_PII_ingested_and_then_read_through_every_endpoint_never_appears_in_any_log_line()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        EndpointCatalog.Capture(app);
        var p = PostgresFixture.NewProviderId();
        var admin = app.KoopidAdmin();
        string[] pii =
        [
            "quentin.pii@example.org", "+1 202 555 0187", "4111 1111 1111 1111", "078-05-1120", "DE89 3704 0044 0532 0130 00", "203.0.113.77",
            "Quentin Piiperson", "https://private.example.org/reset?token=s3cr3t",
        ];
        var good = Ndjson.Lines(
            Ndjson.Provider(p),
            new { type = "customer", providerId = p, customerId = 42, name = pii[6] },
            new { type = "endpoint", providerId = p, endpointId = 1, customerId = 42, channel = "email", address = pii[0] },
            new { type = "interaction", providerId = p, interactionId = 1, customerId = 42, channel = "email", interactionType = "email", startedAt = "2026-03-08T10:00:00Z" },
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-08T10:00:05Z", senderType = "customer", text = $"I am {pii[6]}, mail {pii[0]}, call {pii[1]}, card {pii[2]}, SSN {pii[3]}" },
            new { type = "message", providerId = p, messageId = 2, interactionId = 1, sentAt = "2026-03-08T10:00:06Z", senderType = "customer", text = $"IBAN {pii[4]} from {pii[5]} see {pii[7]}" });
        // Rejected lines carrying PII: unknown type, wrong field type, malformed JSON, a reference to an unknown provider.
        var bad = string.Join('\n',
            $$"""{"type":"gossip","providerId":{{p}},"text":"{{pii[0]}}"}""",
            $$"""{"type":"message","providerId":{{p}},"messageId":"{{pii[1]}}","interactionId":1,"sentAt":"x","senderType":"customer","text":"{{pii[2]}}"}""",
            $$"""{"type":"message","providerId":{{p}},"text":"{{pii[3]}} {{pii[4]}}""",
            $$"""{"type":"customer","providerId":999999999999,"customerId":1,"name":"{{pii[6]}}"}""");
        var result = await Ndjson.IngestAsync(admin, good + "\n" + bad);
        Assert.Equal(4, result["rejected"]!.AsArray().Count);

        var pid = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var e in EndpointCatalog.All.Where(e => !e.IsIngest))
        {
            var client = e.Allows(KoopidRoles.ProviderAdmin) ? app.ProviderAdmin(p) : admin;
            var query = e.Allows(KoopidRoles.ProviderAdmin) || e.ProviderInRoute || !e.ProviderScoped ? Array.Empty<KeyValuePair<string, string>>() : [new KeyValuePair<string, string>("providerId", pid)];
            using var json = await client.SendAsync(e.Build(e.Path(pid), e.ValidFields(DayStart), query));
            var csvRequest = e.Build(e.Path(pid), e.ValidFields(DayStart), query);
            csvRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
            using var csv = await client.SendAsync(csvRequest);
            Assert.True(json.IsSuccessStatusCode, $"{e.Key}: {(int)json.StatusCode}");
        }

        var logs = string.Join('\n', app.Logs.Lines);
        Assert.Contains("/Ingest/Events → 200", logs);
        foreach (var value in pii)
            Assert.DoesNotContain(value, logs);
        Assert.DoesNotContain("Piiperson", logs);
        Assert.DoesNotContain("quentin.pii", logs);
    }

    /// <summary>A body sent without Content-Length (Transfer-Encoding: chunked).</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] bytes;

        public ChunkedContent(byte[] bytes, string mediaType = "application/json")
        {
            this.bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
