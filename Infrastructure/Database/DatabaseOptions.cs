namespace KoopidDashboard.Infrastructure.Database;

/// <summary>
/// Where the store is: <c>ConnectionStrings:Koopid</c> (env <c>ConnectionStrings__Koopid</c>), the primary; optionally
/// <c>ConnectionStrings:KoopidRead</c> for the read-only slices (a streaming replica; see docs/scaling.md).
/// </summary>
public static class DatabaseOptions
{
    public const string ConnectionStringName = "Koopid";
    public const string ReadConnectionStringName = "KoopidRead";

    public static string GetConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set (environment variable ConnectionStrings__{ConnectionStringName}).");

    /// <summary>The read replica's connection string, or null when reads go to the primary.</summary>
    public static string? GetReadConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ReadConnectionStringName) is { Length: > 0 } value ? value : null;
}
