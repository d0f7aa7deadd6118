using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace KoopidDashboard.Infrastructure.Security;

/// <summary>Authenticates <c>X-Api-Key: …</c> or <c>?apiKey=…</c> against the hashed keys in the store.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "apiKey";

    public static bool HasApiKey(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderName) || request.Query.Keys.Any(k => string.Equals(k, QueryName, StringComparison.OrdinalIgnoreCase));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (string.IsNullOrEmpty(key))
            return AuthenticateResult.NoResult();
        if (key.Length > 256)
            return AuthenticateResult.Fail("Invalid API key.");

        var record = await keys.FindActiveAsync(key, Context.RequestAborted);
        if (record is null)
            return AuthenticateResult.Fail("Invalid or revoked API key.");

        var claims = new List<Claim>
        {
            new(KoopidRoles.SubjectClaim, $"apikey:{record.KeyId}"),
            new(KoopidRoles.RoleClaim, record.Role),
        };
        if (record.ProviderId is { } providerId)
            claims.Add(new Claim(KoopidRoles.ProviderClaim, providerId.ToString(CultureInfo.InvariantCulture)));

        var identity = new ClaimsIdentity(claims, SchemeName, KoopidRoles.SubjectClaim, KoopidRoles.RoleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private static string? ReadKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header))
            return header.ToString();
        foreach (var (name, value) in request.Query)
            if (string.Equals(name, QueryName, StringComparison.OrdinalIgnoreCase))
                return value.ToString();
        return null;
    }
}
