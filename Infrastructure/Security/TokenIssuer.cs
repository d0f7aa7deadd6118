using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KoopidDashboard.Infrastructure.Security;

/// <summary>Mints HS256 tokens with the configured key: the <c>token</c> command and the tests use it.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    public string Issue(IEnumerable<string> roles, long? providerId, string subject = "dev", TimeSpan? lifetime = null, DateTimeOffset? notBefore = null)
    {
        var auth = options.Value;
        if (!auth.HasUsableSigningKey)
            throw new InvalidOperationException("Auth:SigningKey must be set and at least 32 bytes to issue tokens.");

        var claims = new List<Claim> { new(KoopidRoles.SubjectClaim, subject) };
        claims.AddRange(roles.Select(r => new Claim(KoopidRoles.RoleClaim, r)));
        if (providerId is { } id)
            claims.Add(new Claim(KoopidRoles.ProviderClaim, id.ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64));

        var now = (notBefore ?? time.GetUtcNow()).UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now,
            IssuedAt = now,
            Expires = now + (lifetime ?? auth.DevelopmentTokenLifetime),
            SigningCredentials = new SigningCredentials(SigningKey(auth), SecurityAlgorithms.HmacSha256),
        });
    }

    public static SymmetricSecurityKey SigningKey(AuthOptions auth) => new(Encoding.UTF8.GetBytes(auth.SigningKey!));
}
