namespace KoopidDashboard.Infrastructure.Security;

/// <summary>The three roles of SPEC §2 and the claim names tokens carry.</summary>
public static class KoopidRoles
{
    public const string KoopidAdmin = "KoopidAdmin";
    public const string ProviderAdmin = "ProviderAdmin";
    public const string Ingest = "Ingest";

    public static readonly IReadOnlyList<string> All = [KoopidAdmin, ProviderAdmin, Ingest];

    public const string RoleClaim = "role";
    public const string ProviderClaim = "provider_id";
    public const string SubjectClaim = "sub";
}
