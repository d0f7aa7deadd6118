using System.ComponentModel.DataAnnotations;

namespace KoopidDashboard.Infrastructure.Security;

/// <summary>Configuration section <c>Auth</c> (SPEC §2).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    [Required] public string Issuer { get; set; } = "koopid-dashboard";
    [Required] public string Audience { get; set; } = "koopid-dashboard";

    /// <summary>HS256 key for self-issued tokens; at least 32 bytes (UTF-8).</summary>
    public string? SigningKey { get; set; }

    /// <summary>An external identity provider (OpenID Connect authority); when set, its keys validate tokens.</summary>
    public string? Authority { get; set; }

    /// <summary>Lifetime of tokens printed by the <c>token</c> command.</summary>
    public TimeSpan DevelopmentTokenLifetime { get; set; } = TimeSpan.FromHours(12);

    public bool HasUsableSigningKey => SigningKey is not null && System.Text.Encoding.UTF8.GetByteCount(SigningKey) >= 32;
}
