using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KoopidDashboard.Tests.Infrastructure.Security;

/// <summary>SPEC §2 on a provider-scoped slice: who gets in, and which provider they see.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AuthenticationAndTenancyTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;
    private long provider;
    private long otherProvider;

    public async Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        provider = PostgresFixture.NewProviderId();
        otherProvider = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(provider), Ndjson.Provider(otherProvider),
            new { type = "interaction", providerId = provider, interactionId = 1, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T10:00:00Z" },
            new { type = "interaction", providerId = otherProvider, interactionId = 1, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T10:00:00Z" },
            new { type = "interaction", providerId = otherProvider, interactionId = 2, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T11:00:00Z" });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private const string Range = """{"start":1772928000000,"end":1773014400000,"interval":"total"}"""; // 2026-03-08 00:00Z, +24 h

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, string body = Range) =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private HttpClient WithToken(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Ndjson.ReadObjectAsync(response);
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["traceId"]));
        return problem;
    }

    [Fact]
    public async Task No_credentials_get_401_problem()
    {
        using var response = await Post(app.CreateClient(), "/Dashboard/Interactions");
        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_gets_401()
    {
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "koopid-dashboard", Audience = "koopid-dashboard",
            Claims = new Dictionary<string, object> { ["role"] = KoopidRoles.KoopidAdmin },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("some-other-key-that-is-long-enough-0123456789")), SecurityAlgorithms.HmacSha256),
        });
        using var response = await Post(WithToken(forged), $"/Dashboard/Interactions?providerId={provider}");
        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_expired_token_gets_401()
    {
        var expired = app.Tokens.Issue([KoopidRoles.KoopidAdmin], null, lifetime: TimeSpan.FromMinutes(5), notBefore: DateTimeOffset.UtcNow.AddHours(-2));
        using var response = await Post(WithToken(expired), $"/Dashboard/Interactions?providerId={provider}");
        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_for_another_audience_gets_401()
    {
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "koopid-dashboard", Audience = "someone-else",
            Claims = new Dictionary<string, object> { ["role"] = KoopidRoles.KoopidAdmin },
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(KoopidApp.SigningKey)), SecurityAlgorithms.HmacSha256),
        });
        using var response = await Post(WithToken(token), $"/Dashboard/Interactions?providerId={provider}");
        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_ProviderAdmin_sees_its_own_provider_without_naming_it()
    {
        using var response = await Post(app.ProviderAdmin(provider), "/Dashboard/Interactions");
        var body = await Ndjson.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(provider, (long)body["providerId"]!);
        Assert.Equal(1, (int)body["totals"]!["started"]!); // the other provider's two interactions are not counted
    }

    [Theory]
    [InlineData("query")]
    [InlineData("body")]
    public async Task A_ProviderAdmin_naming_another_provider_gets_403_before_any_query(string where)
    {
        var client = app.ProviderAdmin(provider);
        using var response = where == "query"
            ? await Post(client, $"/Dashboard/Interactions?providerId={otherProvider}")
            : await Post(client, "/Dashboard/Interactions", $$"""{"providerId":{{otherProvider}},"interval":"total"}""");
        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_ProviderAdmin_cannot_hide_another_provider_in_the_body_behind_its_own_in_the_query()
    {
        using var response = await Post(app.ProviderAdmin(provider), $"/Dashboard/Interactions?providerId={provider}", $$"""{"providerId":{{otherProvider}}}""");
        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_KoopidAdmin_must_name_the_provider()
    {
        using var response = await Post(app.KoopidAdmin(), "/Dashboard/Interactions");
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal("providerId", (string)problem["errors"]![0]!["name"]!);
    }

    [Fact]
    public async Task A_KoopidAdmin_may_name_any_provider_in_query_or_body()
    {
        using var byQuery = await Post(app.KoopidAdmin(), $"/Dashboard/Interactions?providerId={otherProvider}");
        using var byBody = await Post(app.KoopidAdmin(), "/Dashboard/Interactions", $$"""{"providerId":{{otherProvider}},"start":1772928000000,"end":1773014400000,"interval":"total"}""");

        Assert.Equal(2, (int)(await Ndjson.ReadObjectAsync(byQuery))["totals"]!["started"]!);
        Assert.Equal(2, (int)(await Ndjson.ReadObjectAsync(byBody))["totals"]!["started"]!);
    }

    [Fact]
    public async Task The_Ingest_role_cannot_read_dashboards()
    {
        using var response = await Post(app.ClientAs(KoopidRoles.Ingest, provider), "/Dashboard/Interactions");
        await AssertProblem(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task API_keys_work_in_header_and_query_and_stop_working_when_revoked()
    {
        var store = app.Services.GetRequiredService<ApiKeyStore>();
        var (key, record) = await store.CreateAsync(KoopidRoles.ProviderAdmin, provider, "dashboard");
        var headerClient = app.CreateClient();
        headerClient.DefaultRequestHeaders.Add("X-Api-Key", key);

        using var byHeader = await Post(headerClient, "/Dashboard/Interactions");
        using var byQuery = await Post(app.CreateClient(), $"/Dashboard/Interactions?apiKey={key}&providerId={provider}&partnerId=77");
        using var otherByQuery = await Post(app.CreateClient(), $"/Dashboard/Interactions?apiKey={key}&providerId={otherProvider}");
        Assert.True(await store.RevokeAsync(record.KeyId));
        using var revoked = await Post(headerClient, "/Dashboard/Interactions");

        Assert.Equal(HttpStatusCode.Created, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byQuery.StatusCode);
        await AssertProblem(otherByQuery, HttpStatusCode.Forbidden);
        await AssertProblem(revoked, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_unknown_API_key_gets_401()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "kpd_not-a-real-key");
        using var response = await Post(client, "/Dashboard/Interactions");
        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task Dashboard_bodies_are_read_as_json_whatever_the_content_type_and_empty_means_defaults(string? contentType)
    {
        var content = new StringContent(Range);
        content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        using var response = await app.ProviderAdmin(provider).PostAsync("/Dashboard/interactions", content);
        using var empty = await app.ProviderAdmin(provider).PostAsync("/DASHBOARD/Interactions", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, (int)(await Ndjson.ReadObjectAsync(response))["totals"]!["started"]!);
        Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
        Assert.Equal("PT1H", (string)(await Ndjson.ReadObjectAsync(empty))["interval"]!); // default range: 24 h → hourly
    }
}
