using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Testcontainers.PostgreSql;

namespace KoopidDashboard.Tests.Support;

/// <summary>How every test builds a PostgreSQL container: the shared fixture's and the ones tests start, stop and crash themselves.</summary>
public static class TestPostgres
{
    public const string ImageVariable = "KOOPID_TEST_POSTGRES_IMAGE";
    public const string Password = "koopid-test";

    /// <summary>The official image unless <see cref="ImageVariable"/> names another (test.sh's local build on machines without a registry).</summary>
    public static string Image => Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } image ? image : "postgres:17-alpine";

    /// <summary>
    /// Database koopid, user koopid. <c>docker stop</c> sends SIGINT, PostgreSQL's fast shutdown, as the official image's
    /// STOPSIGNAL does: the default SIGTERM is a smart shutdown that waits for the test apps' pooled connections, so every
    /// stop became a forced kill after Docker's 10 s grace (a crash, not the clean stop OutageTests means).
    /// </summary>
    public static PostgreSqlBuilder Builder() =>
        new PostgreSqlBuilder(Image)
            .WithDatabase("koopid").WithUsername("koopid").WithPassword(Password)
            .WithCreateParameterModifier(container => container.StopSignal = "SIGINT")
            .WithLogger(NullLogger.Instance); // Testcontainers logs to Console, which the CLI tests capture

    /// <summary>A host port free right now: a container bound to it keeps its address across a stop and start.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// Tests that start, stop and crash containers of their own (and load them on purpose) run alone, after the others: on
/// 2 cores their initdb, crash recovery and request floods delayed an unrelated test's connection to the shared
/// container past the service's 5 s connect limit (a fixture ingest answered 503: once in CI, once in 7 local runs with both cores also loaded).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnContainersCollection
{
    public const string Name = "own containers";
}
