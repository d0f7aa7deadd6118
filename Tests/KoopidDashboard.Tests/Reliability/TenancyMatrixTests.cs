using System.Text;
using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Xunit.Abstractions;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// SPEC §2 as a generated matrix: every registered endpoint (route × verb, from the endpoint list) × nine caller kinds ×
/// every place the provider can be named there → the exact status, a problem+json body for every error, and no trace
/// of the other provider in any 2xx body. The expected status is derived from the endpoint's definition (AllowedRoles,
/// IProviderScoped / IPlatformWideAllowed, a {providerId} route), never from a list of endpoints.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TenancyMatrixTests(TwoTenantWorld world, ITestOutputHelper output) : IClassFixture<TwoTenantWorld>
{
    public static readonly string[] Callers =
    [
        "none", "bad-signature", "expired", "wrong-audience", "revoked-api-key",
        KoopidRoles.KoopidAdmin, "ProviderAdmin-own", "ProviderAdmin-other", KoopidRoles.Ingest,
    ];

    /// <summary>Where the request names provider A: the route (only there when the route has {providerId}, which must be filled),
    /// the query, the JSON body (POST), or nowhere. Provider-free endpoints (ingest) take no provider: "omitted" only.</summary>
    public static IEnumerable<string> Placements(EndpointCase e) =>
        e.ProviderInRoute ? ["route"]
        : !e.ProviderScoped ? ["omitted"]
        : e.IsPost ? ["query", "body", "omitted"] : ["query", "omitted"];

    public static TheoryData<string, string, string> Matrix()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var e in EndpointCatalog.All)
            foreach (var caller in Callers)
                foreach (var placement in Placements(e))
                    data.Add(e.Key, caller, placement);
        return data;
    }

    [Fact]
    public void The_matrix_covers_every_endpoint()
    {
        var endpoints = EndpointCatalog.All;
        var rows = endpoints.Sum(e => Callers.Length * Placements(e).Count());
        output.WriteLine($"{endpoints.Count} endpoints (route × verb) × {Callers.Length} callers × their placements = {rows} cases");
        foreach (var e in endpoints)
            output.WriteLine($"  {e.Key}: roles {string.Join('/', e.Roles)}, placements {string.Join('/', Placements(e))}");
        Assert.True(endpoints.Count >= 15, "the endpoint list looks incomplete");
        Assert.Equal(rows, Matrix().Count());
    }

    /// <summary>SPEC §2, derived from the definition.</summary>
    public static int Expected(EndpointCase e, string caller, string placement) => caller switch
    {
        "none" or "bad-signature" or "expired" or "wrong-audience" or "revoked-api-key" => 401,
        _ when !e.Allows(RoleOf(caller)) => 403,
        _ when !e.ProviderScoped => e.SuccessStatus,
        KoopidRoles.KoopidAdmin => placement == "omitted" && !e.PlatformWideAllowed ? 400 : e.SuccessStatus,
        "ProviderAdmin-own" => e.SuccessStatus,
        "ProviderAdmin-other" => placement == "omitted" ? e.SuccessStatus : 403, // omitted: it sees its own provider
        _ => 403, // e.g. Ingest allowed on a provider-scoped endpoint: the pre-processor refuses to read provider data
    };

    private static string RoleOf(string caller) => caller.StartsWith("ProviderAdmin", StringComparison.Ordinal) ? KoopidRoles.ProviderAdmin : caller;

    [Theory]
    [MemberData(nameof(Matrix), DisableDiscoveryEnumeration = true)]
    public async Task Tenancy(string endpoint, string caller, string placement)
    {
        var e = EndpointCatalog.Get(endpoint);
        long a = world.ProviderA, b = world.ProviderB;
        var client = Client(caller);
        var fields = e.ValidFields(TwoTenantWorld.DayStart);
        var query = new List<KeyValuePair<string, string>>();
        if (placement == "query")
            query.Add(new("providerId", a.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (placement == "body")
            fields["providerId"] = a;
        // A route's {providerId} always names A here; a provider-free endpoint gets the caller's own in any route slot.
        using var request = e.Build(e.Path(a.ToString(System.Globalization.CultureInfo.InvariantCulture)), fields, query);
        if (e.IsIngest)
            request.Content = new StringContent(Ndjson.Lines(Ndjson.Provider(a, "UTC", $"Provider {TwoTenantWorld.MarkerA}")), Encoding.UTF8, "application/x-ndjson");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var expected = Expected(e, caller, placement);

        Assert.True(expected == (int)response.StatusCode, $"{request.Method} {request.RequestUri} as {caller}, provider {placement}: expected {expected}, got {(int)response.StatusCode}: {Clip(body)}");
        if (expected >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.Equal(expected, (int)problem["status"]!);
            Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
            return;
        }

        // The provider whose data this 2xx may show; the other one's marker must not appear anywhere in it.
        long? visible = caller switch
        {
            "ProviderAdmin-own" => a,
            "ProviderAdmin-other" => b,
            KoopidRoles.KoopidAdmin when placement != "omitted" => a,
            _ => null, // platform-wide answers and provider-free endpoints (ingest) show no tenant's rows
        };
        if (visible is { } v)
        {
            var other = world.MarkerOf(v == a ? b : a);
            Assert.False(body.Contains(other, StringComparison.OrdinalIgnoreCase), $"{e.Key} as {caller} ({placement}) leaked '{other}': {Clip(body)}");
        }
        else if (e.ProviderScoped)
        {
            Assert.DoesNotContain(TwoTenantWorld.MarkerA, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(TwoTenantWorld.MarkerB, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    private HttpClient Client(string caller)
    {
        var tokens = world.App.Tokens;
        var now = TimeProvider.System.GetUtcNow();
        return caller switch
        {
            "none" => world.Anonymous(),
            "bad-signature" => world.WithBearer(TwoTenantWorld.ForeignToken("some-other-key-that-is-long-enough-0123456789", "koopid-dashboard", KoopidRoles.KoopidAdmin, null)),
            "expired" => world.WithBearer(tokens.Issue([KoopidRoles.KoopidAdmin], null, lifetime: TimeSpan.FromMinutes(5), notBefore: now.AddHours(-2))),
            "wrong-audience" => world.WithBearer(TwoTenantWorld.ForeignToken(KoopidApp.SigningKey, "someone-else", KoopidRoles.KoopidAdmin, null)),
            "revoked-api-key" => world.WithApiKey(world.RevokedKey),
            KoopidRoles.KoopidAdmin => world.App.KoopidAdmin(),
            "ProviderAdmin-own" => world.App.ProviderAdmin(world.ProviderA),
            "ProviderAdmin-other" => world.App.ProviderAdmin(world.ProviderB),
            KoopidRoles.Ingest => world.App.ClientAs(KoopidRoles.Ingest, world.ProviderA),
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, null),
        };
    }

    private static string Clip(string body) => body.Length > 600 ? body[..600] + "…" : body;
}
