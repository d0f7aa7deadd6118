using System.Security.Cryptography;
using Dapper;
using KoopidDashboard.Infrastructure.Database;
using Npgsql;

namespace KoopidDashboard.Infrastructure.Security;

public sealed record ApiKeyRecord
{
    public long KeyId { get; init; }
    public string KeyPrefix { get; init; } = "";
    public string Role { get; init; } = "";
    public long? ProviderId { get; init; }
    public string? Name { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? RevokedAt { get; init; }
}

/// <summary>
/// API keys as the Koopid reporting API uses them: 32 random bytes, URL-safe; only the SHA-256 is stored,
/// so a leaked table reveals no usable key. A plain hash (not a slow KDF) is right here: the key has 256 bits of entropy.
/// </summary>
public sealed class ApiKeyStore([FromKeyedServices(DatabaseRegistration.Primary)] NpgsqlDataSource db)
{
    private const string KeyMarker = "kpd_";

    public async Task<(string Key, ApiKeyRecord Record)> CreateAsync(string role, long? providerId, string? name, CancellationToken ct = default)
    {
        if (!KoopidRoles.All.Contains(role))
            throw new ArgumentException($"Unknown role '{role}'. Use one of: {string.Join(", ", KoopidRoles.All)}.", nameof(role));
        if (role != KoopidRoles.KoopidAdmin && providerId is null)
            throw new ArgumentException($"A {role} key must be bound to a provider (--provider).", nameof(providerId));

        var key = KeyMarker + Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        const string sql = """
            INSERT INTO api_keys (key_hash, key_prefix, role, provider_id, name)
            VALUES (@Hash, @Prefix, @Role, @ProviderId, @Name)
            RETURNING key_id, key_prefix, role, provider_id, name, created_at, revoked_at
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        var record = await connection.QuerySingleAsync<ApiKeyRecord>(new CommandDefinition(sql,
            new { Hash = Hash(key), Prefix = key[..10], Role = role, ProviderId = role == KoopidRoles.KoopidAdmin ? null : providerId, Name = name },
            cancellationToken: ct));
        return (key, record);
    }

    /// <summary>The key's record when it exists and is not revoked; null otherwise.</summary>
    public async Task<ApiKeyRecord?> FindActiveAsync(string key, CancellationToken ct = default)
    {
        const string sql = """
            SELECT key_id, key_prefix, role, provider_id, name, created_at, revoked_at
            FROM api_keys WHERE key_hash = @Hash AND revoked_at IS NULL
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRecord>(new CommandDefinition(sql, new { Hash = Hash(key) }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken ct = default)
    {
        const string sql = "SELECT key_id, key_prefix, role, provider_id, name, created_at, revoked_at FROM api_keys ORDER BY key_id";
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<ApiKeyRecord>(new CommandDefinition(sql, cancellationToken: ct))).AsList();
    }

    /// <summary>Revokes by id; returns false when no active key has that id.</summary>
    public async Task<bool> RevokeAsync(long keyId, CancellationToken ct = default)
    {
        const string sql = "UPDATE api_keys SET revoked_at = now() WHERE key_id = @KeyId AND revoked_at IS NULL";
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { KeyId = keyId }, cancellationToken: ct)) == 1;
    }

    private static byte[] Hash(string key) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
