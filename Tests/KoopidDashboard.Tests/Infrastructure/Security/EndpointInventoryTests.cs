using FastEndpoints;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace KoopidDashboard.Tests.Infrastructure.Security;

/// <summary>No endpoint may forget roles or the tenancy rule: every registered FastEndpoints endpoint is checked.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EndpointInventoryTests(PostgresFixture db)
{
    public static IReadOnlyList<EndpointDefinition> Definitions(KoopidApp app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(e => e.Metadata.GetMetadata<EndpointDefinition>())
            .OfType<EndpointDefinition>()
            .Distinct()
            .ToList();

    [Fact]
    public async Task Every_endpoint_declares_roles_and_a_provider_scope()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var definitions = Definitions(app);
        Assert.NotEmpty(definitions);

        var problems = new List<string>();
        foreach (var d in definitions)
        {
            var name = d.EndpointType.FullName;
            var roles = d.AllowedRoles ?? [];
            if (roles.Count == 0)
                problems.Add($"{name}: no Roles(...)");
            else if (roles.Any(r => !KoopidRoles.All.Contains(r)))
                problems.Add($"{name}: unknown role");
            if (d.AnonymousVerbs is { Length: > 0 })
                problems.Add($"{name}: allows anonymous access");

            var scoped = typeof(IProviderScoped).IsAssignableFrom(d.ReqDtoType);
            var free = typeof(IProviderFree).IsAssignableFrom(d.ReqDtoType) || typeof(IProviderFree).IsAssignableFrom(d.EndpointType);
            if (scoped == free)
                problems.Add($"{name}: request must be either IProviderScoped or explicitly IProviderFree");
            if (roles.Contains(KoopidRoles.Ingest) && !d.Routes.All(r => r.StartsWith("/Ingest/", StringComparison.OrdinalIgnoreCase)))
                problems.Add($"{name}: the Ingest role may only call /Ingest/*");
        }
        Assert.Empty(problems);
    }

    [Fact]
    public async Task The_tenancy_pre_processor_runs_on_every_endpoint()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        foreach (var d in Definitions(app))
        {
            var processors = typeof(EndpointDefinition).GetField("PreProcessorList", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)?.GetValue(d)
                as System.Collections.IEnumerable;
            Assert.NotNull(processors);
            Assert.Contains(processors!.Cast<object>(), p => p is TenancyPreProcessor);
        }
    }
}
