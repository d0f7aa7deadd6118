using System.Globalization;
using System.Security.Claims;
using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;

namespace KoopidDashboard.Infrastructure.Security;

/// <summary>
/// SPEC §2, enforced once for every endpoint before any handler or query runs:
/// a ProviderAdmin is pinned to its token's provider (naming another one anywhere → 403);
/// a KoopidAdmin must name the provider on provider-scoped endpoints (→ 400 when missing).
/// Roles themselves are checked earlier by each endpoint's <c>Roles(...)</c> (401/403).
/// </summary>
public sealed class TenancyPreProcessor : IGlobalPreProcessor
{
    public const string BodyProviderIdsItem = "koopid.body-provider-ids";

    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        if (ctx.HttpContext.Response.HasStarted || ctx.Request is not IProviderScoped scoped)
            return;

        var http = ctx.HttpContext;
        var named = ProvidersNamed(http, scoped);
        var user = http.User;

        if (user.IsInRole(KoopidRoles.KoopidAdmin))
        {
            if (named.Count > 1)
                await Problems.WriteAsync(http, 400, "Conflicting provider", "The request names more than one providerId; name exactly one.");
            else if (scoped.ProviderId is null && ctx.Request is not IPlatformWideAllowed)
                await Problems.WriteAsync(http, 400, "Provider required", "A KoopidAdmin must name the provider: add providerId to the query, route or body.",
                    new Dictionary<string, object?> { ["errors"] = new[] { new ProblemError("providerId", "providerId is required for a KoopidAdmin.") } });
            return;
        }

        if (user.IsInRole(KoopidRoles.ProviderAdmin) && OwnProvider(user) is { } own)
        {
            if (named.Any(id => id != own))
            {
                await Problems.WriteAsync(http, 403, "Other provider", "A ProviderAdmin may only read its own provider's data.");
                return;
            }
            scoped.ProviderId = own;
            return;
        }

        await Problems.WriteAsync(http, 403, "Forbidden", "These credentials are not allowed to read provider data.");
    }

    public static long? OwnProvider(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(KoopidRoles.ProviderClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>Every providerId the caller wrote anywhere: route, query (all repeats), JSON body, and the bound value.</summary>
    private static HashSet<long> ProvidersNamed(HttpContext http, IProviderScoped scoped)
    {
        var ids = new HashSet<long>();
        if (scoped.ProviderId is { } bound)
            ids.Add(bound);
        foreach (var (key, value) in http.Request.RouteValues)
            if (string.Equals(key, "providerId", StringComparison.OrdinalIgnoreCase) && TryParse(value?.ToString(), out var id))
                ids.Add(id);
        foreach (var (key, values) in http.Request.Query)
            if (string.Equals(key, "providerId", StringComparison.OrdinalIgnoreCase))
                foreach (var value in values)
                    if (TryParse(value, out var id))
                        ids.Add(id);
        if (http.Items.TryGetValue(BodyProviderIdsItem, out var fromBody) && fromBody is IEnumerable<long> bodyIds)
            ids.UnionWith(bodyIds);
        return ids;
    }

    private static bool TryParse(string? text, out long id) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out id);
}
