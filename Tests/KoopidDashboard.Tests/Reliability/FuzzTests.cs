using System.Text.Json.Nodes;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Xunit.Abstractions;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// SPEC §8 "no request input ever yields a 500": every registered endpoint × every hostile-input family of
/// <see cref="HostileInputs"/> (seeded, deterministic) → never a 5xx, never a stack trace or exception text in the body,
/// and every 4xx a problem+json. Sent as a caller allowed on the endpoint (its own ProviderAdmin where allowed, else a
/// KoopidAdmin naming the provider), so the input reaches binding, validation and the query.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FuzzTests(TwoTenantWorld world, ITestOutputHelper output) : IClassFixture<TwoTenantWorld>
{
    public static TheoryData<string, string> Families()
    {
        var data = new TheoryData<string, string>();
        foreach (var e in EndpointCatalog.All)
            foreach (var family in HostileInputs.Families)
                if (family != "route-values" || e.RouteParameters.Count > 0)
                    data.Add(e.Key, family);
        return data;
    }

    [Theory]
    [MemberData(nameof(Families), DisableDiscoveryEnumeration = true)]
    public async Task Hostile_input_never_yields_a_5xx_or_a_stack_trace(string endpoint, string family)
    {
        var e = EndpointCatalog.Get(endpoint);
        var (client, providerId) = Caller(e);
        var cases = new HostileInputs(e, providerId, await LiveCursorAsync(e, client, providerId)).Generate(family).ToList();
        var failures = new List<string>();
        foreach (var c in cases)
        {
            using var request = c.Build();
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            if (status >= 500)
                failures.Add($"{c.Name}: {status} {Clip(body)}");
            else if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal))
                failures.Add($"{c.Name}: {status} with exception text {Clip(body)}");
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{c.Name}: {status} as {response.Content.Headers.ContentType?.MediaType ?? "(no content type)"} {Clip(body)}");
        }
        output.WriteLine($"{e.Key} / {family}: {cases.Count} cases");
        Assert.True(failures.Count == 0, $"{e.Key} / {family}: {failures.Count} of {cases.Count} failed:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task Fuzz_case_count()
    {
        var total = 0;
        foreach (var e in EndpointCatalog.All)
        {
            var (client, providerId) = Caller(e);
            var inputs = new HostileInputs(e, providerId, await LiveCursorAsync(e, client, providerId));
            var perEndpoint = HostileInputs.Families.Where(f => f != "route-values" || e.RouteParameters.Count > 0).Sum(f => inputs.Generate(f).Count());
            output.WriteLine($"{e.Key}: {perEndpoint}");
            total += perEndpoint;
        }
        output.WriteLine($"total: {total} generated cases (seed {HostileInputs.Seed})");
        Assert.True(total > 1000);
    }

    private (HttpClient Client, long ProviderId) Caller(EndpointCase e)
    {
        if (e.Allows(KoopidRoles.ProviderAdmin) && !e.IsIngest)
            return (world.App.ProviderAdmin(world.ProviderA), world.ProviderA);
        // A KoopidAdmin must name the provider: in the route when it has {providerId}, else in every request's query.
        var client = e.ProviderScoped && !e.ProviderInRoute
            ? world.App.CreateDefaultClient(new AddProviderToQuery(world.ProviderA))
            : world.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = world.App.KoopidAdmin().DefaultRequestHeaders.Authorization;
        return (client, world.ProviderA);
    }

    /// <summary>A real nextCursor to tamper with, when the endpoint pages (asks for one row of the seeded day).</summary>
    private static async Task<string?> LiveCursorAsync(EndpointCase e, HttpClient client, long providerId)
    {
        if (!e.Properties.ContainsKey("cursor"))
            return null;
        var fields = e.ValidFields(TwoTenantWorld.DayStart);
        if (e.Properties.ContainsKey("limit"))
            fields["limit"] = 1;
        using var request = e.Build(e.Path(providerId.ToString(System.Globalization.CultureInfo.InvariantCulture)), fields);
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            return null;
        return (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)?["nextCursor"]?.GetValue<string>();
    }

    private static string Clip(string body) => body.Length > 400 ? body[..400] + "…" : body;
}

/// <summary>Adds providerId=… to every request's query.</summary>
internal sealed class AddProviderToQuery(long providerId) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri!.AbsoluteUri;
        request.RequestUri = new Uri(uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "providerId=" + providerId, UriKind.RelativeOrAbsolute);
        return base.SendAsync(request, ct);
    }
}
