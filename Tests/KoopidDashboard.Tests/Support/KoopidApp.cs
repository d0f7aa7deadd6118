using System.Net.Http.Headers;
using KoopidDashboard.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KoopidDashboard.Tests.Support;

/// <summary>The real HTTP pipeline (WebApplicationFactory) on the shared PostgreSQL container, with a frozen clock when asked.</summary>
public sealed class KoopidApp(string connectionString, TimeProvider? time = null, IDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>Everything the app logged, at every level.</summary>
    public CapturedLogs Logs { get; } = new();

    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Koopid", connectionString);
        builder.UseSetting("Auth:SigningKey", SigningKey);
        // Fixtures use fixed dates; the hourly purge must not race them (RetentionTests drive it directly).
        builder.UseSetting("Retention:Enabled", "false");
        // Likewise the word tier's background worker: tests compute it when they mean to (WordTierTests covers the worker).
        builder.UseSetting("Rollups:WordWorker", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace));
        if (time is not null)
            builder.ConfigureTestServices(services => services.AddSingleton(time));
    }

    public TokenIssuer Tokens => Services.GetRequiredService<TokenIssuer>();

    /// <summary>A client with a bearer token. The token is minted at the real time: JwtBearer checks lifetimes against the real clock even when the app's TimeProvider is frozen.</summary>
    public HttpClient ClientAs(string role, long? providerId = null, string subject = "test")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Issue([role], providerId, subject, notBefore: TimeProvider.System.GetUtcNow()));
        return client;
    }

    public HttpClient KoopidAdmin() => ClientAs(KoopidRoles.KoopidAdmin);

    public HttpClient ProviderAdmin(long providerId) => ClientAs(KoopidRoles.ProviderAdmin, providerId);
}
