using Dapper;
using KoopidDashboard.Infrastructure.Cli;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KoopidDashboard.Tests.Infrastructure.Cli;

/// <summary>The operator commands, run in-process against the shared container (Console is captured per test).</summary>
[Collection(PostgresCollection.Name)]
public sealed class CommandLineTests(PostgresFixture db) : IAsyncLifetime
{
    private KoopidApp app = null!;

    public Task InitializeAsync()
    {
        app = new KoopidApp(db.ConnectionString);
        _ = app.Server; // build the host
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private Task<(int Exit, string Out, string Err)> Run(params string[] args) => CommandRunner.RunAsync(app.Services, args);

    [Fact]
    public async Task Token_prints_a_signed_jwt_with_the_role_and_provider_claims()
    {
        var (exit, output, _) = await Run("token", "--role", "ProviderAdmin", "--provider", "1020");

        Assert.Equal(0, exit);
        var token = new JsonWebToken(output.Trim());
        Assert.Equal("ProviderAdmin", token.GetClaim("role").Value);
        Assert.Equal("1020", token.GetClaim("provider_id").Value);
        Assert.Equal("koopid-dashboard", token.Audiences.Single());
    }

    [Fact]
    public async Task Token_for_a_ProviderAdmin_without_provider_is_refused()
    {
        var (exit, _, error) = await Run("token", "--role", "ProviderAdmin");
        Assert.Equal(2, exit);
        Assert.Contains("--provider", error);
    }

    [Fact]
    public async Task Keys_create_prints_the_key_once_stores_only_its_hash_and_revoke_disables_it()
    {
        var p = PostgresFixture.NewProviderId();
        var (exit, output, _) = await Run("keys", "create", "--role", "ProviderAdmin", "--provider", p.ToString(), "--name", "cli test");
        var key = output.Trim();

        Assert.Equal(0, exit);
        Assert.StartsWith("kpd_", key);
        Assert.True(key.Length >= 46, "32 random bytes, base64url, plus prefix");
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<(long Id, byte[] Hash)>("SELECT key_id, key_hash FROM api_keys WHERE provider_id = @p", new { p });
        Assert.Equal(32, stored.Hash.Length);
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM api_keys WHERE key_prefix || '' = @key", new { key }));

        var (_, list, _) = await Run("keys", "list");
        Assert.Contains($"{stored.Id}\t{key[..10]}…\tProviderAdmin\t{p}\tcli test", list);
        Assert.DoesNotContain(key, list);

        var store = app.Services.GetRequiredService<ApiKeyStore>();
        Assert.NotNull(await store.FindActiveAsync(key));
        var (revokeExit, _, _) = await Run("keys", "revoke", stored.Id.ToString());
        Assert.Equal(0, revokeExit);
        Assert.Null(await store.FindActiveAsync(key));
    }

    [Fact]
    public async Task Ingest_loads_a_file_through_the_same_validation_and_redaction()
    {
        var p = PostgresFixture.NewProviderId();
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, Ndjson.Lines(Ndjson.Provider(p, "Asia/Kolkata"),
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-03-08T09:00:05Z", senderType = "customer", text = "reach me at ana@example.com" },
            new { type = "agent", providerId = p, agentId = 1 }) + "\n");
        try
        {
            var (exit, output, error) = await Run("ingest", file);

            Assert.Equal(1, exit); // one line was rejected
            Assert.Contains("3 lines: 2 stored, 0 unchanged, 1 rejected", output);
            Assert.Contains("line 3: missing field name", error);
            await using var connection = await db.DataSource.OpenConnectionAsync();
            Assert.Equal("reach me at <EMAIL>", await connection.QuerySingleAsync<string>("SELECT text FROM messages WHERE provider_id = @p", new { p }));
            // Autovacuum never analyzes a partitioned parent; the bulk load leaves the planner statistics for the whole hierarchy.
            Assert.True(await connection.QuerySingleAsync<long>("SELECT count(*) FROM pg_stats WHERE tablename = 'messages' AND inherited") > 0);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Ingest_in_small_batches_with_two_writers_equals_a_rebuild_and_reads_the_file_as_bytes()
    {
        // Batches of 3 lines, written by two connections over disjoint providers: inserts (direct COPY), then updates of the
        // same interactions in later batches (staged upsert, rollup delta), a line of invalid UTF-8, CRLF and a BOM.
        await using var small = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Ingest:FileBatchLines"] = "3" });
        var (p, q) = (PostgresFixture.NewProviderId(), PostgresFixture.NewProviderId());
        object Interaction(long provider, long id, string? endedAt = null) => endedAt is null
            ? new { type = "interaction", providerId = provider, interactionId = id, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T09:00:00Z" }
            : new { type = "interaction", providerId = provider, interactionId = id, channel = "sms", interactionType = "sms", startedAt = "2026-03-08T09:00:00Z", endedAt };
        var lines = new[] { Ndjson.Provider(p), Ndjson.Provider(q), Interaction(p, 1), Interaction(q, 1), Interaction(p, 2), Interaction(q, 2),
                Interaction(p, 1, "2026-03-08T09:05:00Z"), Interaction(q, 2, "2026-03-08T09:07:00Z") }
            .Select(e => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(e)).ToList();
        lines.Insert(4, [.. "{\"type\":\"customer\",\"providerId\":"u8, .. System.Text.Encoding.ASCII.GetBytes(p.ToString()), .. ",\"customerId\":1,\"name\":\""u8, 0xFF, .. "\"}"u8]);
        var file = Path.GetTempFileName();
        await File.WriteAllBytesAsync(file, [0xEF, 0xBB, 0xBF, .. lines.SelectMany(l => l.Concat("\r\n"u8.ToArray()))]);
        try
        {
            var (exit, stdout, stderr) = await CommandRunner.RunAsync(small.Services, "ingest", file);

            Assert.Equal(1, exit);
            Assert.Contains("9 lines: 8 stored, 0 unchanged, 1 rejected", stdout);
            Assert.Contains("line 5: malformed JSON: the line is not valid UTF-8", stderr);
            await using var connection = await db.DataSource.OpenConnectionAsync();
            foreach (var provider in new[] { p, q })
            {
                Assert.Equal(2, await connection.QuerySingleAsync<long>("SELECT count(*) FROM interactions WHERE provider_id = @provider", new { provider }));
                var incremental = (await connection.QueryAsync("SELECT * FROM interaction_rollup_15m WHERE provider_id = @provider ORDER BY 2, 3, 4, 5, 6, 7", new { provider }))
                    .Select(r => string.Join("|", ((IDictionary<string, object?>)r).Values)).ToList();
                await Run("rollups", "rebuild", "--provider", provider.ToString());
                var rebuilt = (await connection.QueryAsync("SELECT * FROM interaction_rollup_15m WHERE provider_id = @provider ORDER BY 2, 3, 4, 5, 6, 7", new { provider }))
                    .Select(r => string.Join("|", ((IDictionary<string, object?>)r).Values)).ToList();
                Assert.Equal(rebuilt, incremental);
                Assert.Equal("1|1", string.Join("|", await connection.QuerySingleAsync<long>("SELECT sum(interactions) FROM interaction_rollup_15m WHERE provider_id = @provider", new { provider }) - 1,
                    await connection.QuerySingleAsync<long>("SELECT sum(duration_n) FROM interaction_rollup_15m WHERE provider_id = @provider", new { provider })));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Seed_demo_fills_every_entity_through_the_ingest_pipeline_and_a_second_run_changes_nothing()
    {
        var (exit, output, _) = await Run("seed", "--demo", "--scale", "0.01", "--days", "3");
        var (againExit, again, _) = await Run("seed", "--demo", "--scale", "0.01", "--days", "3");

        Assert.Equal(0, exit);
        Assert.Matches(@"Demo data: (\d+) events \(\1 stored, 0 unchanged, 0 rejected\)", output);
        Assert.Equal(0, againExit);
        Assert.Matches(@"Demo data: (\d+) events \(0 stored, \1 unchanged, 0 rejected\)", again);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var zones = (await connection.QueryAsync<string>("SELECT time_zone FROM providers WHERE provider_id BETWEEN 1001 AND 1004 ORDER BY provider_id")).ToList();
        Assert.Contains("America/New_York", zones);
        Assert.Contains("Asia/Kolkata", zones);
        foreach (var table in new[] { "agents", "queues", "bots", "customers", "customer_endpoints", "interactions", "messages", "agent_sessions", "bot_sessions" })
            Assert.True(await connection.QuerySingleAsync<long>($"SELECT count(*) FROM {table} WHERE provider_id BETWEEN 1001 AND 1004") > 0, table);
        Assert.True(await connection.QuerySingleAsync<long>("SELECT count(*) FROM messages WHERE provider_id BETWEEN 1001 AND 1004 AND cardinality(redacted_entities) > 0") > 0,
            "the demo texts carry PII for the redactor");
    }

    [Fact]
    public async Task An_unknown_key_role_is_refused_with_a_message()
    {
        var (exit, _, error) = await Run("keys", "create", "--role", "Wizard");
        Assert.Equal(2, exit);
        Assert.Contains("Unknown role 'Wizard'", error);
    }
}
