namespace KoopidDashboard.Infrastructure.Database;

/// <summary>Where the store is: <c>ConnectionStrings:Koopid</c> (env <c>ConnectionStrings__Koopid</c>).</summary>
public static class DatabaseOptions
{
    public const string ConnectionStringName = "Koopid";

    public static string GetConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set (environment variable ConnectionStrings__{ConnectionStringName}).");
}
