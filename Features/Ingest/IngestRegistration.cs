using KoopidDashboard.Infrastructure.Redaction;

namespace KoopidDashboard.Features.Ingest;

/// <summary>Configuration sections <c>Ingest</c> and <c>Redaction</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>Largest accepted <c>POST /Ingest/Events</c> body; larger → 413.</summary>
    public long MaxBodyBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Lines per transaction for the <c>ingest</c> command. Each transaction has fixed costs (temp tables, one statement per
    /// rollup and table, commit): 50 000 lines cost ≈ 1.5 CPU-seconds less per million lines than 20 000 (BENCHMARKS.md).
    /// </summary>
    public int FileBatchLines { get; set; } = 50_000;

    /// <summary>
    /// Connections the <c>ingest</c> command writes a batch with, side by side, each taking a disjoint set of providers
    /// (one transaction per provider set). 1 = one transaction per batch.
    /// </summary>
    public int FileWriters { get; set; } = 2;
}

public static class IngestRegistration
{
    public static IServiceCollection AddKoopidIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IngestOptions>(configuration.GetSection(IngestOptions.Section));
        services.AddSingleton(sp => new EventParser(
            sp.GetRequiredService<Redactor>(),
            sp.GetRequiredService<IConfiguration>().GetValue("Redaction:StoreRaw", false)));
        services.AddSingleton<IngestPipeline>();
        return services;
    }
}
