using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace KoopidDashboard.Infrastructure.Security;

public static class SecurityRegistration
{
    /// <summary>The combined scheme: an API key when the request carries one, a JWT bearer token otherwise.</summary>
    public const string Scheme = "Koopid";

    public static IServiceCollection AddKoopidSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>()
            .Bind(configuration.GetSection(AuthOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.HasUsableSigningKey || !string.IsNullOrWhiteSpace(o.Authority),
                "Auth:SigningKey (at least 32 bytes) or Auth:Authority must be configured.")
            .ValidateOnStart();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<ApiKeyStore>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "JWT bearer or API key", o =>
                o.ForwardDefaultSelector = ctx => ApiKeyAuthenticationHandler.HasApiKey(ctx.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { })
            .AddJwtBearer();

        // Configured from the bound options (not read eagerly) so test hosts and environment overrides apply.
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((o, options) =>
            {
                var auth = options.Value;
                o.MapInboundClaims = false;
                if (!string.IsNullOrWhiteSpace(auth.Authority))
                    o.Authority = auth.Authority;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Issuer,
                    ValidAudience = auth.Audience,
                    IssuerSigningKey = auth.HasUsableSigningKey ? TokenIssuer.SigningKey(auth) : null,
                    RoleClaimType = KoopidRoles.RoleClaim,
                    NameClaimType = KoopidRoles.SubjectClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            });
        services.AddAuthorization();
        return services;
    }
}
