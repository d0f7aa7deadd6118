using Dapper;
using KoopidDashboard.Features.Ingest;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>SPEC §8: history older than Retention:HistoryDays is removed; newer history and reference data stay.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RetentionTests(PostgresFixture db)
{
    [Fact]
    public async Task History_older_than_the_retention_window_is_removed_and_the_rest_stays()
    {
        var clock = new FrozenClock(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero));
        await using var app = new KoopidApp(db.ConnectionString, clock);
        var p = PostgresFixture.NewProviderId();
        object Interaction(long id, string at) => new { type = "interaction", providerId = p, interactionId = id, channel = "sms", interactionType = "sms", startedAt = at };
        object Message(long id, string at) => new { type = "message", providerId = p, messageId = id, interactionId = id, sentAt = at, senderType = "customer", text = "hello refund" };
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p),
            new { type = "agent", providerId = p, agentId = 1, name = "Old timer" },
            Interaction(1, "2025-11-20T10:00:00Z"), Message(1, "2025-11-20T10:00:05Z"),   // 370 days before "now": beyond 365
            Interaction(2, "2025-12-01T10:00:00Z"), Message(2, "2025-12-01T10:00:05Z"),   // 359 days: kept
            new { type = "agentSession", providerId = p, sessionId = 1, agentId = 1, loginAt = "2025-11-01T08:00:00Z", logoutAt = "2025-11-01T16:00:00Z" },
            new { type = "botSession", providerId = p, botSessionId = 1, botId = 1, startedAt = "2025-11-01T08:00:00Z" });

        await MessageWords.CatchUpAsync(db.DataSource, p, CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retention:HistoryDays"] = "365" }).Build();
        var service = new RetentionService(db.DataSource, configuration, clock, NullLogger<RetentionService>.Instance);
        var removed = await service.PurgeAsync(CancellationToken.None);

        Assert.True(removed["messages"] >= 1 && removed["interactions"] >= 1);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal([2L], await connection.QueryAsync<long>("SELECT interaction_id FROM interactions WHERE provider_id = @p", new { p }));
        Assert.Equal([2L], await connection.QueryAsync<long>("SELECT message_id FROM messages WHERE provider_id = @p", new { p }));
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM agent_sessions WHERE provider_id = @p", new { p }));
        Assert.Equal(0, await connection.QuerySingleAsync<int>("SELECT count(*) FROM bot_sessions WHERE provider_id = @p", new { p }));
        Assert.Equal(1, await connection.QuerySingleAsync<int>("SELECT count(*) FROM agents WHERE provider_id = @p", new { p }));

        // TopWords' word tier: the purged day goes, the cut-off's day waits (its month with it), then sums only what is left
        Assert.Equal(["2025-11-25 false", "2025-12-01 true"], await connection.QueryAsync<string>(
            $"SELECT to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || computed FROM {MessageWords.Days} WHERE provider_id = @p ORDER BY 1", new { p }));
        Assert.Equal(["2025-12-01"], await connection.QueryAsync<string>(
            $"SELECT to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM {MessageWords.DayTable} WHERE provider_id = @p", new { p }));
        Assert.Equal(1, await MessageWords.CatchUpAsync(db.DataSource, p, CancellationToken.None));
        Assert.Equal(["2025-12-01 refund 1"], await connection.QueryAsync<string>(
            $"SELECT to_char(bucket_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' ' || word || ' ' || count FROM {MessageWords.MonthTable} WHERE provider_id = @p", new { p }));
    }
}
