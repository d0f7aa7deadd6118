namespace KoopidDashboard.Infrastructure.Security;

/// <summary>A request that reads one provider's data. The tenancy pre-processor fills and guards <see cref="ProviderId"/>.</summary>
public interface IProviderScoped
{
    long? ProviderId { get; set; }
}

/// <summary>A provider-scoped request that a KoopidAdmin may also send without a provider, for a platform-wide answer (DBStats).</summary>
public interface IPlatformWideAllowed : IProviderScoped;

/// <summary>
/// A request that names no provider by design (the analytics catalogue; ingest, which checks the provider of every line).
/// Saying so explicitly keeps the endpoint-inventory test honest: nothing is unscoped by accident.
/// </summary>
public interface IProviderFree;
