using System.Net.Http.Headers;
using System.Text;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// Class fixture of the tenancy matrix and the fuzz: one app (clock frozen on the seeded day, rate limit lifted) and two
/// providers whose every name, intent and topic carries a distinctive marker word, so a 2xx body that mentions the other
/// provider's marker is a leak. Captures the endpoint list for the theories' MemberData.
/// </summary>
public sealed class TwoTenantWorld : IAsyncLifetime
{
    /// <summary>2026-03-08 00:00Z: the seeded day; the clock stands at 18:00 that day.</summary>
    public const long DayStart = 1772928000000;

    /// <summary>Ingest:MaxBodyBytes here, so the fuzz can go over it cheaply.</summary>
    public const long MaxIngestBytes = 2 * 1024 * 1024;

    public const string MarkerA = "aardvark";
    public const string MarkerB = "zebrafish";

    private readonly PostgresFixture db;

    public TwoTenantWorld(PostgresFixture db)
    {
        this.db = db;
        App = new KoopidApp(db.ConnectionString, new FrozenClock(DateTimeOffset.FromUnixTimeMilliseconds(DayStart).AddHours(18)),
            new Dictionary<string, string?> { ["Protection:RequestsPerMinute"] = "1000000", ["Ingest:MaxBodyBytes"] = MaxIngestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        EndpointCatalog.Capture(App);
    }

    public KoopidApp App { get; }
    public long ProviderA { get; } = PostgresFixture.NewProviderId();
    public long ProviderB { get; } = PostgresFixture.NewProviderId();
    public string RevokedKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var admin = App.KoopidAdmin();
        var stored = await Ndjson.IngestAsync(admin, Ndjson.Lines([.. Tenant(ProviderA, MarkerA), .. Tenant(ProviderB, MarkerB)]));
        if (stored["rejected"]!.AsArray().Count > 0)
            throw new InvalidOperationException($"the two-tenant fixture was not fully stored: {stored}");
        var store = App.Services.GetRequiredService<ApiKeyStore>();
        var (key, record) = await store.CreateAsync(KoopidRoles.ProviderAdmin, ProviderA, "revoked");
        await store.RevokeAsync(record.KeyId);
        RevokedKey = key;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public string MarkerOf(long providerId) => providerId == ProviderA ? MarkerA : MarkerB;

    /// <summary>One provider's world: every text a response could echo carries the marker.</summary>
    public static object[] Tenant(long p, string m) =>
    [
        Ndjson.Provider(p, "UTC", $"Provider {m}"),
        new { type = "agent", providerId = p, agentId = 1, name = $"Agent {m}" },
        new { type = "queue", providerId = p, queueId = 1, name = $"Queue {m}", serviceLevelSeconds = 30 },
        new { type = "bot", providerId = p, botId = 1, name = $"Bot {m}" },
        new { type = "customer", providerId = p, customerId = 42, name = $"Customer {m}" },
        new { type = "endpoint", providerId = p, endpointId = 1, customerId = 42, channel = "webchat", address = $"visitor-{m}" },
        new
        {
            type = "interaction", providerId = p, interactionId = 1, customerId = 42, channel = "webchat", interactionType = "chat",
            startedAt = "2026-03-08T10:00:00Z", queuedAt = "2026-03-08T10:00:10Z", answeredAt = "2026-03-08T10:01:00Z", endedAt = "2026-03-08T10:10:00Z",
            queueId = 1, agentId = 1, botId = 1, outcome = "resolved", intent = $"intent_{m}", topic = $"topic_{m}", sentiment = 0.5, csat = 4,
        },
        new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-08T10:00:05Z", senderType = "customer", text = $"my {m} order never arrived" },
        new { type = "message", providerId = p, messageId = 2, interactionId = 1, sentAt = "2026-03-08T10:01:30Z", senderType = "agent", senderId = 1, text = $"sorry about the {m} order" },
        new { type = "agentSession", providerId = p, sessionId = 1, agentId = 1, loginAt = "2026-03-08T09:00:00Z", logoutAt = "2026-03-08T12:00:00Z" },
        new { type = "botSession", providerId = p, botSessionId = 1, botId = 1, interactionId = 1, customerId = 42, startedAt = "2026-03-08T10:00:00Z", endedAt = "2026-03-08T10:00:10Z", outcome = "escalated", turns = 3 },
    ];

    // ---- callers ----

    public HttpClient Anonymous() => App.CreateClient();

    public HttpClient WithBearer(string token)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient WithApiKey(string key)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    /// <summary>A token as the app's issuer would mint it, but signed with another key or for another audience.</summary>
    public static string ForeignToken(string signingKey, string audience, string role, long? providerId)
    {
        var claims = new Dictionary<string, object> { ["role"] = role, ["sub"] = "foreign" };
        if (providerId is { } id)
            claims["provider_id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "koopid-dashboard", Audience = audience, Claims = claims, Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
