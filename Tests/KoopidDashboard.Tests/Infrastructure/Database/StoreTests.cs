using Dapper;
using KoopidDashboard.Infrastructure.Cli;
using KoopidDashboard.Features.Ingest;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// The store of docs/performance.md: monthly partitions (an entity whose time moves is never duplicated, retention drops
/// whole months) and the 15-minute rollups ingest maintains by delta (equal to a rebuild, unchanged by a replay).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreTests(PostgresFixture db)
{
    private static object Interaction(long p, long id, string startedAt, object? extra = null)
    {
        var e = new Dictionary<string, object?> { ["type"] = "interaction", ["providerId"] = p, ["interactionId"] = id, ["channel"] = "sms", ["interactionType"] = "sms", ["startedAt"] = startedAt };
        foreach (var property in extra?.GetType().GetProperties() ?? [])
            e[property.Name] = property.GetValue(extra);
        return e;
    }

    /// <summary>The provider's rows of a rollup, every column, in key order (numeric compared by value: 0 = 0.000000).</summary>
    private async Task<List<object?[]>> RollupAsync(string table, long p)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var keys = Rollups.All.Single(r => r.Name == table).KeyColumns;
        var rows = await connection.QueryAsync($"SELECT * FROM {table} WHERE provider_id = @p ORDER BY {keys}", new { p });
        return rows.Select(r => ((IDictionary<string, object?>)r).Values.ToArray()).ToList();
    }

    /// <summary>The interaction rollup's non-zero first-response measures, in key order.</summary>
    private async Task<List<(long N, decimal Seconds)>> FirstResponsesAsync(long p)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(long, decimal)>($"""
            SELECT first_response_n, first_response_sum FROM interaction_rollup_15m
            WHERE provider_id = @p AND (first_response_n <> 0 OR first_response_sum <> 0) ORDER BY {Rollups.Interactions.KeyColumns}
            """, new { p })).ToList();
    }

    private async Task<T> ScalarAsync<T>(string sql, object parameters)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<T>(sql, parameters);
    }

    [Fact]
    public async Task An_interaction_sent_at_start_and_again_at_end_moves_its_rollup_contribution()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        await Ndjson.IngestAsync(client, Ndjson.Provider(p), Interaction(p, 1, "2026-03-02T10:05:00Z", new { queueId = 7, queuedAt = "2026-03-02T10:05:30Z" }));

        const string Sql = """
            SELECT bucket_start, queue_id, agent_id, interactions, answered, wait_n, wait_sum, handle_n, handle_sum, duration_n, duration_sum
            FROM interaction_rollup_15m WHERE provider_id = @p
            """;
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var start = (await connection.QueryAsync<(DateTime, long?, long?, long, long, long, decimal, long, decimal, long, decimal)>(Sql, new { p })).Single();
        // 10:05 lies in the 10:00–10:15 bucket; no answer or end yet: one interaction, no samples
        Assert.Equal((new DateTime(2026, 3, 2, 10, 0, 0), 7L, (long?)null, 1L, 0L, 0L, 0m, 0L, 0m, 0L, 0m), start);

        await Ndjson.IngestAsync(client, Interaction(p, 1, "2026-03-02T10:05:00Z",
            new { agentId = 3, answeredAt = "2026-03-02T10:06:30Z", endedAt = "2026-03-02T10:20:00Z" }));
        var end = (await connection.QueryAsync<(DateTime, long?, long?, long, long, long, decimal, long, decimal, long, decimal)>(Sql, new { p })).Single();
        // the row under agent NULL is gone (count 0) and one under agent 3 holds: wait 10:06:30 − 10:05:30 = 60 s,
        // handle 10:20:00 − 10:06:30 = 810 s, duration 10:20:00 − 10:05:00 = 900 s; queue 7 kept (the event left it out)
        Assert.Equal((new DateTime(2026, 3, 2, 10, 0, 0), 7L, (long?)3, 1L, 1L, 1L, 60m, 1L, 810m, 1L, 900m), end);
    }

    [Fact]
    public async Task A_replayed_batch_changes_no_rollup_and_a_rebuild_reproduces_the_incremental_rollups()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        object Bot(long id, string at, object? outcome, int? turns, string? endedAt) =>
            new { type = "botSession", providerId = p, botSessionId = id, botId = 1 + id % 2, startedAt = at, endedAt, outcome, turns };
        var batch = Ndjson.Lines(Ndjson.Provider(p, "America/New_York"),
            Interaction(p, 1, "2026-03-02T10:05:00Z", new { customerId = 7, intent = "billing", sentiment = 0.5, csat = 4, queueId = 1, queuedAt = "2026-03-02T10:05:00.25Z", answeredAt = "2026-03-02T10:05:41.5Z", agentId = 4, endedAt = "2026-03-02T10:30:00Z" }),
            Interaction(p, 2, "2026-03-02T10:14:59.999Z", new { customerId = 7, botId = 9, endedAt = "2026-03-02T10:16:00Z" }),
            Interaction(p, 3, "2026-03-02T11:00:00Z", new { queueId = 1, queuedAt = "2026-03-02T11:00:10Z", abandonedAt = "2026-03-02T11:02:00Z" }),
            Bot(1, "2026-03-02T10:01:00Z", "contained", 4, "2026-03-02T10:03:00.5Z"),
            Bot(2, "2026-03-02T10:02:00Z", null, null, null),
            Bot(3, "2026-03-02T10:20:00Z", "escalated", 2, "2026-03-02T10:21:00Z"));
        await Ndjson.IngestAsync(client, batch);
        // later events change dimensions, times and measures of entities already stored
        var update = Ndjson.Lines(
            Interaction(p, 2, "2026-03-02T10:15:00Z", new { customerId = 8, sentiment = -0.25, queueId = 1, queuedAt = "2026-03-02T10:15:30Z", answeredAt = "2026-03-02T10:16:00Z", agentId = 5 }),
            Bot(2, "2026-03-02T10:02:00Z", "abandoned", 1, "2026-03-02T10:02:30Z"));
        await Ndjson.IngestAsync(client, update);

        // every rollup of interactions and bot sessions, fine and coarse, in key order
        string[] tables = [.. Rollups.All.Where(r => r.Source != IngestTables.Messages).Select(r => r.Name)];
        async Task<Dictionary<string, List<object?[]>>> SnapshotAsync()
        {
            var rows = new Dictionary<string, List<object?[]>>();
            foreach (var table in tables)
                rows[table] = await RollupAsync(table, p);
            return rows;
        }
        var rollups = await SnapshotAsync();
        Assert.Equal(2, rollups["interaction_rollup_1h_total"].Count);        // hours 10:00 and 11:00
        Assert.Equal(2, rollups["queue_rollup_1h_total"].Count);              // queued in hours 10:00 and 11:00
        Assert.Single(rollups["bot_session_rollup_1h_total"]);                // sessions all in hour 10:00
        var firsts = await FirstsAsync(p);
        Assert.Equal(0, await HourlyDriftAsync(p));
        Assert.Equal(3, rollups["queue_rollup_15m"].Count);   // queued 10:00 (answered), 10:15 (answered), 11:00 (abandoned); interaction 2 queued only later
        Assert.Equal([(7L, new DateTime(2026, 3, 2, 10, 5, 0)), (8L, new DateTime(2026, 3, 2, 10, 15, 0))], firsts);
        Assert.Equal(3, rollups["interaction_rollup_15m"].Count); // (10:00, agent 4), (10:15, queue 1, agent 5, bot 9 — moved out of 10:00), (11:00, queue 1)
        Assert.Equal(3, rollups["bot_session_rollup_15m"].Count); // (10:00, bot 1), (10:00, bot 2), (10:15, bot 2)

        // The same batch again changes nothing: no line accepted, rollups untouched.
        var replay = await Ndjson.IngestAsync(client, update);
        Assert.Equal(0, (int)replay["accepted"]!);
        Assert.Equal(rollups, await SnapshotAsync());
        Assert.Equal(firsts, await FirstsAsync(p));
        // Back and forth: the first batch moves interaction 2 back, the update moves it again: same rollups as before.
        await Ndjson.IngestAsync(client, batch);
        await Ndjson.IngestAsync(client, update);
        Assert.Equal(rollups, await SnapshotAsync());
        Assert.Equal(0, await HourlyDriftAsync(p));

        // Rebuild from the raw rows after wiping the provider's rollups: the same rows, value for value.
        await using (var connection = await db.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync(string.Join(";", [.. tables.Select(t => $"DELETE FROM {t} WHERE provider_id = @p"),
                "DELETE FROM customer_first_interaction WHERE provider_id = @p"]), new { p });
        var (exit, output) = await RunAsync(app, "rollups", "rebuild", "--provider", p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, exit);
        Assert.Contains("Rollups rebuilt for 1 provider(s)", output);
        Assert.Equal(rollups, await SnapshotAsync());
        Assert.Equal(firsts, await FirstsAsync(p));
    }

    [Fact]
    public async Task Bot_contained_follows_sessions_and_interactions_in_any_order_and_equals_a_rebuild()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        object Bot(long id, long? interaction, string? outcome) => new
        {
            type = "botSession", providerId = p, botSessionId = id, botId = 1, interactionId = interaction, startedAt = "2026-03-02T10:01:00Z",
            endedAt = outcome is null ? null : "2026-03-02T10:02:00Z", outcome,
        };
        async Task<string> FlagsAsync() => string.Join(" ", (await ScalarAsync<string?>(
            "SELECT string_agg(interaction_id || '=' || bot_contained, ' ' ORDER BY interaction_id) FROM interactions WHERE provider_id = @p", new { p }) ?? "").Split(' '));
        // the rollup's count per bucket must follow the flags (interaction_rollup_15m and both hourly tiers)
        async Task<string> CountsAsync(string table) => await ScalarAsync<string?>(
            $"SELECT string_agg(to_char(bucket_start AT TIME ZONE 'UTC', 'MM-DD HH24:MI') || '=' || n, ' ' ORDER BY bucket_start) FROM (SELECT bucket_start, sum(bot_contained) AS n FROM {table} WHERE provider_id = @p GROUP BY 1) c",
            new { p }) ?? "";

        // 1: a contained session of interaction 10 before 10 exists; 11 bot-only without sessions (contained); 12 bot-only with
        //    an escalated session (not); 13 queued and answered, but a session of it ended contained (contained)
        await Ndjson.IngestAsync(client, Ndjson.Lines(Ndjson.Provider(p, "UTC"),
            Bot(1, 10, "contained"),
            Interaction(p, 11, "2026-03-02T10:05:00Z", new { botId = 1 }),
            Interaction(p, 12, "2026-03-02T10:20:00Z", new { botId = 1 }),
            Bot(2, 12, "escalated"),
            Interaction(p, 13, "2026-03-02T10:35:00Z", new { queueId = 1, queuedAt = "2026-03-02T10:36:00Z", answeredAt = "2026-03-02T10:37:00Z" }),
            Bot(3, 13, "contained"),
            Bot(5, 20, "contained")));
        Assert.Equal("11=true 12=false 13=true", await FlagsAsync());
        Assert.Equal("03-02 10:00=1 03-02 10:15=0 03-02 10:30=1", await CountsAsync("interaction_rollup_15m"));

        // 2: interaction 10 arrives (its session is stored: contained); 11 gets a session still open (no outcome: not contained)
        await Ndjson.IngestAsync(client, Ndjson.Lines(
            Interaction(p, 10, "2026-03-02T10:50:00Z", new { queueId = 1, queuedAt = "2026-03-02T10:51:00Z" }),
            Bot(4, 11, null)));
        Assert.Equal("10=true 11=false 12=false 13=true", await FlagsAsync());
        // 2b: interaction 20 arrives in a batch of new ids only (the insert-only path), its contained session stored before
        await Ndjson.IngestAsync(client, Ndjson.Lines(Interaction(p, 20, "2026-03-02T10:40:00Z", new { botId = 1, queueId = 1, queuedAt = "2026-03-02T10:41:00Z" })));
        Assert.Equal("10=true 11=false 12=false 13=true 20=true", await FlagsAsync());

        // 3: session 1 moves from 10 to 12 (10 has no session left and was queued: not; 12 now has a contained one);
        //    session 3 of 13 is corrected to escalated (not); 11's open session ends contained; 13 moves to April (month partition)
        await Ndjson.IngestAsync(client, Ndjson.Lines(
            Bot(1, 12, "contained"),
            Bot(3, 13, "escalated"),
            Bot(4, 11, "contained"),
            Interaction(p, 13, "2026-04-01T00:10:00Z")));
        Assert.Equal("10=false 11=true 12=true 13=false 20=true", await FlagsAsync());
        Assert.Equal("03-02 10:00=1 03-02 10:15=1 03-02 10:30=1 03-02 10:45=0 04-01 00:00=0", await CountsAsync("interaction_rollup_15m"));
        Assert.Equal("03-02 10:00=3 04-01 00:00=0", await CountsAsync("interaction_rollup_1h"));
        Assert.Equal("03-02 10:00=3 04-01 00:00=0", await CountsAsync("interaction_rollup_1h_total"));
        Assert.Equal("03-02 10:00=3 04-01 00:00=0", await CountsAsync("interaction_rollup_1h_intent"));

        // 4: 13's session becomes contained again while 13 moves back to March
        await Ndjson.IngestAsync(client, Ndjson.Lines(Bot(3, 13, "contained"), Interaction(p, 13, "2026-03-02T10:35:00Z")));
        Assert.Equal("10=false 11=true 12=true 13=true 20=true", await FlagsAsync());
        Assert.Equal("03-02 10:00=1 03-02 10:15=1 03-02 10:30=2 03-02 10:45=0", await CountsAsync("interaction_rollup_15m"));
        Assert.Equal(0, await HourlyDriftAsync(p));

        // The flags equal the definition computed from the raw rows (the raw path's botContained) ...
        Assert.Equal(0, await ScalarAsync<long>("""
            SELECT count(*) FROM interactions i
            LEFT JOIN (SELECT interaction_id, bool_or(outcome = 'contained') AS contained FROM bot_sessions WHERE provider_id = @p GROUP BY 1) s
              ON s.interaction_id = i.interaction_id
            WHERE i.provider_id = @p
              AND i.bot_contained <> coalesce(s.contained OR (s.interaction_id IS NULL AND i.bot_id IS NOT NULL AND i.queued_at IS NULL AND i.answered_at IS NULL), false)
            """, new { p }));
        // ... and `rollups rebuild` recomputes a flag gone wrong and the same rollups as ingest kept.
        var rollup = await RollupAsync("interaction_rollup_15m", p);
        await using (var connection = await db.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                UPDATE interactions SET bot_contained = NOT bot_contained WHERE provider_id = @p AND interaction_id = 11;
                DELETE FROM interaction_rollup_15m WHERE provider_id = @p
                """, new { p });
        Assert.Equal(0, (await RunAsync(app, "rollups", "rebuild", "--provider", p.ToString(System.Globalization.CultureInfo.InvariantCulture))).Exit);
        Assert.Equal("10=false 11=true 12=true 13=true 20=true", await FlagsAsync());
        Assert.Equal(rollup, await RollupAsync("interaction_rollup_15m", p));
    }

    /// <summary>
    /// Rows in which an hourly tier differs from its 15-minute table summed per UTC hour (and its dimension):
    /// interaction_rollup_1h (by type), interaction_rollup_1h_total and interaction_rollup_1h_intent against
    /// interaction_rollup_15m, queue_rollup_1h_total against queue_rollup_15m, bot_session_rollup_1h_total against
    /// bot_session_rollup_15m. 0 = the tiers agree.
    /// </summary>
    private async Task<long> HourlyDriftAsync(long p) =>
        await DriftAsync(Rollups.InteractionsHourly, Rollups.Interactions, ", interaction_type", p)
        + await DriftAsync(Rollups.InteractionsHourlyTotal, Rollups.Interactions, "", p)
        + await DriftAsync(Rollups.InteractionsHourlyByIntent, Rollups.Interactions, ", intent", p)
        + await DriftAsync(Rollups.QueueHourlyTotal, Rollups.Queue, "", p)
        + await DriftAsync(Rollups.BotSessionsHourlyTotal, Rollups.BotSessions, "", p);

    private async Task<long> DriftAsync(RollupDefinition tier, RollupDefinition fifteenMinutes, string dimension, long p)
    {
        var (hourly, measures) = (tier.Name, tier.Measures);
        var fine = $"""
            SELECT date_bin('1 hour', bucket_start, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS bucket_start{dimension},
                   {string.Join(", ", measures.Select(m => $"sum({m.Name}) AS {m.Name}"))}
            FROM {fifteenMinutes.Name} WHERE provider_id = @p GROUP BY 1{(dimension.Length > 0 ? ", 2" : "")}
            """;
        var coarse = $"SELECT bucket_start{dimension}, {string.Join(", ", measures.Select(m => m.Name))} FROM {hourly} WHERE provider_id = @p";
        return await ScalarAsync<long>($"SELECT count(*) FROM (({fine} EXCEPT ALL {coarse}) UNION ALL ({coarse} EXCEPT ALL {fine})) d", new { p });
    }

    private static object MessageEvent(long p, long id, long interaction, string at, string sender, long? senderId, string text) =>
        new { type = "message", providerId = p, messageId = id, interactionId = interaction, sentAt = at, senderType = sender, senderId, text };

    private async Task<List<(long, DateTime)>> FirstsAsync(long p)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(long, DateTime)>(
            "SELECT customer_id, first_started_at FROM customer_first_interaction WHERE provider_id = @p ORDER BY 1", new { p })).ToList();
    }

    [Fact]
    public async Task Message_rollup_and_first_agent_messages_follow_corrections_and_equal_a_rebuild()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        object Message(long id, long interaction, string at, string sender, long? senderId = null, string text = "hi") =>
            MessageEvent(p, id, interaction, at, sender, senderId, text);
        await Ndjson.IngestAsync(client, Ndjson.Provider(p), Interaction(p, 1, "2026-03-02T10:00:00Z"),
            Message(1, 1, "2026-03-02T10:01:00Z", "customer", text: "my card is 4111111111111111"),
            Message(2, 1, "2026-03-02T10:03:00Z", "agent", 4),
            Message(3, 1, "2026-03-02T10:20:00Z", "agent", 5),
            Message(4, 1, "2026-03-02T10:02:00Z", "bot"),
            Message(5, 1, "2026-03-02T10:04:00Z", "system"),
            Message(6, 2, "2026-03-02T10:05:00Z", "agent", 4)); // interaction 2 was never sent
        const string First = "SELECT interaction_id, first_sent_at FROM interaction_first_agent_message WHERE provider_id = @p ORDER BY 1";
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal([(1L, new DateTime(2026, 3, 2, 10, 3, 0)), (2L, new DateTime(2026, 3, 2, 10, 5, 0))],
            await connection.QueryAsync<(long, DateTime)>(First, new { p }));
        // (10:00, interaction 1, no agent): customer + bot + system; agents 4 and 5 each their own row
        Assert.Equal([(1L, (long?)null, 3L, 1L, 0L), (1L, 4L, 1L, 0L, 1L), (2L, 4L, 1L, 0L, 1L), (1L, 5L, 1L, 0L, 1L)],
            await connection.QueryAsync<(long, long?, long, long, long)>("""
                SELECT interaction_id, agent_sender_id, messages, from_customer, from_agent FROM message_rollup_15m
                WHERE provider_id = @p ORDER BY bucket_start, agent_sender_id NULLS FIRST, interaction_id
                """, new { p }));

        // The first agent message becomes a customer's (recomputed: 10:20), message 6 moves to interaction 1 earlier (10:02)
        // and interaction 2 is left without an agent message.
        var corrections = Ndjson.Lines(Message(2, 1, "2026-03-02T10:03:00Z", "customer"), Message(6, 1, "2026-03-02T10:02:30Z", "agent", 4));
        await Ndjson.IngestAsync(client, corrections);
        Assert.Equal([(1L, new DateTime(2026, 3, 2, 10, 2, 30))], await connection.QueryAsync<(long, DateTime)>(First, new { p }));
        await Ndjson.IngestAsync(client, Message(6, 1, "2026-03-02T10:25:00Z", "agent", 4)); // moved after 10:20: recomputed
        Assert.Equal([(1L, new DateTime(2026, 3, 2, 10, 20, 0))], await connection.QueryAsync<(long, DateTime)>(First, new { p }));

        // The hourly tier without dimensions: hour 10:00 holds all six after the corrections — customer 1 and 2, agent 3
        // and 6, bot 4, system 5.
        Assert.Equal([(new DateTime(2026, 3, 2, 10, 0, 0), 6L, 2L, 2L, 1L, 1L)],
            await connection.QueryAsync<(DateTime, long, long, long, long, long)>("""
                SELECT bucket_start, messages, from_customer, from_agent, from_bot, from_system FROM message_rollup_1h_total WHERE provider_id = @p
                """, new { p }));

        // The hourly tier by agent sender: agent 4's message 6 (message 2 is a customer's now) and agent 5's message 3.
        Assert.Equal([(4L, 1L), (5L, 1L)], await connection.QueryAsync<(long, long)>(
            "SELECT agent_sender_id, from_agent FROM message_rollup_1h_agent WHERE provider_id = @p ORDER BY bucket_start, agent_sender_id", new { p }));

        var (rollups, first) = await MessageRollupsAsync(connection, p);
        await RebuildMessageRollupsAsync(app, connection, p);
        Assert.Equal(rollups, (await MessageRollupsAsync(connection, p)).Rollups);
        Assert.Equal(first, await connection.QueryAsync<(long, DateTime)>(First, new { p }));
        Assert.True(await ScalarAsync<long>("SELECT sum(redacted_entities) FROM message_rollup_15m WHERE provider_id = @p", new { p }) >= 1);
    }

    [Fact]
    public async Task The_first_agent_message_copy_and_the_message_count_on_the_interaction_follow_messages_and_interactions_in_any_order()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        object Message(long id, long interaction, string at, string sender, long? senderId = null) =>
            MessageEvent(p, id, interaction, at, sender, senderId, "hi");
        async Task<string> CopiesAsync() => await ScalarAsync<string?>(
            "SELECT string_agg(interaction_id || '=' || coalesce(to_char(first_agent_at AT TIME ZONE 'UTC', 'MM-DD HH24:MI:SS'), '-'), ' ' ORDER BY interaction_id) FROM interactions WHERE provider_id = @p",
            new { p }) ?? "";
        // interactions whose copy differs from the definition over the raw rows (the raw path's min() over messages)
        Task<long> DriftAsync() => ScalarAsync<long>("""
            SELECT count(*) FROM interactions i
            WHERE i.provider_id = @p AND i.first_agent_at IS DISTINCT FROM (
                SELECT min(m.sent_at) FROM messages m WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id AND m.sender_type = 'agent')
            """, new { p });
        async Task<string> CountsAsync() => await ScalarAsync<string?>(
            "SELECT string_agg(interaction_id || '=' || message_count, ' ' ORDER BY interaction_id) FROM interactions WHERE provider_id = @p", new { p }) ?? "";
        // interactions whose stored count differs from their messages counted, and interaction rollup rows whose message
        // sum differs from their interactions' counts summed (the rollups' other measures are compared with a rebuild elsewhere)
        Task<long> CountDriftAsync() => ScalarAsync<long>("""
            SELECT (SELECT count(*) FROM interactions i
                    WHERE i.provider_id = @p
                      AND i.message_count <> (SELECT count(*) FROM messages m WHERE m.provider_id = i.provider_id AND m.interaction_id = i.interaction_id))
                 + (SELECT count(*) FROM interaction_rollup_1h_total h
                    WHERE h.provider_id = @p
                      AND h.messages <> (SELECT sum(i.message_count) FROM interactions i
                                         WHERE i.provider_id = h.provider_id AND i.started_at >= h.bucket_start AND i.started_at < h.bucket_start + interval '1 hour'))
            """, new { p });

        // interaction rollup rows whose first-response measures differ from their interactions' copies grouped at the rollup's
        // key (migration 0025: ingest moves them whenever it changes a copy)
        Task<long> FirstResponseDriftAsync() => ScalarAsync<long>("""
            WITH stored AS (
                SELECT bucket_start, channel, interaction_type, queue_id, agent_id, bot_id, intent, first_response_n, first_response_sum
                FROM interaction_rollup_15m WHERE provider_id = @p AND (first_response_n <> 0 OR first_response_sum <> 0)
            ),
            expected AS (
                SELECT date_bin('15 minutes', started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'), channel, interaction_type, queue_id,
                       agent_id, bot_id, intent, count(*), sum(extract(epoch FROM first_agent_at - answered_at))
                FROM interactions WHERE provider_id = @p AND answered_at IS NOT NULL AND first_agent_at IS NOT NULL
                GROUP BY 1, 2, 3, 4, 5, 6, 7
            )
            SELECT count(*) FROM ((TABLE stored EXCEPT ALL TABLE expected) UNION ALL (TABLE expected EXCEPT ALL TABLE stored)) d
            """, new { p });

        // 1, all new: interaction 1 with its messages (written first, so it is inserted with its copy); 2 without any
        //    message; an agent message of interaction 3, which is not sent yet
        await Ndjson.IngestAsync(client, Ndjson.Provider(p),
            Interaction(p, 1, "2026-03-02T10:00:00Z", new { answeredAt = "2026-03-02T10:00:30Z" }),
            Message(1, 1, "2026-03-02T10:01:00Z", "customer"), Message(2, 1, "2026-03-02T10:03:00Z", "agent", 4), Message(3, 1, "2026-03-02T10:05:00Z", "agent", 4),
            Interaction(p, 2, "2026-03-02T11:00:00Z", new { answeredAt = "2026-03-02T11:00:30Z" }),
            Message(4, 3, "2026-03-02T12:02:00Z", "agent", 5));
        Assert.Equal("1=03-02 10:03:00 2=-", await CopiesAsync());
        Assert.Equal("1=3 2=0", await CountsAsync());

        // 2: interaction 3 arrives alone (all new: takes the stored first); interaction 2 gets its first agent message and
        //    interaction 1 an earlier one, in a batch of messages only
        await Ndjson.IngestAsync(client, Interaction(p, 3, "2026-03-02T12:00:00Z", new { answeredAt = "2026-03-02T12:01:00Z" }));
        await Ndjson.IngestAsync(client, Message(5, 2, "2026-03-02T11:04:00Z", "agent", 4), Message(6, 1, "2026-03-02T10:02:00Z", "agent", 5));
        Assert.Equal("1=03-02 10:02:00 2=03-02 11:04:00 3=03-02 12:02:00", await CopiesAsync());
        Assert.Equal("1=4 2=1 3=1", await CountsAsync());
        Assert.Equal(0, await CountDriftAsync());
        Assert.Equal(0, await FirstResponseDriftAsync());
        // 90 s (1: 10:00:30 → 10:02), 210 s (2: 11:00:30 → 11:04), 60 s (3: 12:01 → 12:02), one 15-minute step each
        Assert.Equal([(1L, 90m), (1L, 210m), (1L, 60m)], await FirstResponsesAsync(p));

        // 3, corrections with stored rows: message 6 (1's first) moves to interaction 2 (1 is named only by the stored
        //    row), message 5 (2's first) becomes a customer's, message 4 (3's) moves to interaction 2 too; and interaction
        //    3 moves to April (another partition: re-inserted) with a new agent message
        var corrections = Ndjson.Lines(
            Message(6, 2, "2026-03-02T11:06:00Z", "agent", 5), Message(5, 2, "2026-03-02T11:04:00Z", "customer"),
            Message(4, 2, "2026-03-02T12:02:00Z", "agent", 5),
            Interaction(p, 3, "2026-04-01T00:10:00Z"), Message(7, 3, "2026-04-01T00:12:00Z", "agent", 4));
        await Ndjson.IngestAsync(client, corrections);
        Assert.Equal("1=03-02 10:03:00 2=03-02 11:06:00 3=04-01 00:12:00", await CopiesAsync());
        Assert.Equal(0, await DriftAsync());
        Assert.Equal("1=3 2=3 3=1", await CountsAsync());
        Assert.Equal(0, await CountDriftAsync());
        Assert.Equal(0, await FirstResponseDriftAsync());
        Assert.Equal(0, await HourlyDriftAsync(p));
        // a replay changes nothing
        Assert.Equal(0, (int)(await Ndjson.IngestAsync(client, corrections))["accepted"]!);
        Assert.Equal("1=03-02 10:03:00 2=03-02 11:06:00 3=04-01 00:12:00", await CopiesAsync());
        Assert.Equal("1=3 2=3 3=1", await CountsAsync());

        // 4: interaction 2 is left without an agent message
        await Ndjson.IngestAsync(client, Message(6, 2, "2026-03-02T11:06:00Z", "bot"), Message(4, 2, "2026-03-02T12:02:00Z", "customer"));
        Assert.Equal("1=03-02 10:03:00 2=- 3=04-01 00:12:00", await CopiesAsync());
        Assert.Equal(0, await DriftAsync());
        Assert.Equal("1=3 2=3 3=1", await CountsAsync());
        Assert.Equal(0, await CountDriftAsync());
        Assert.Equal(0, await FirstResponseDriftAsync());
        // 1 back to 150 s (10:00:30 → 10:03); 2 has none left; 3 moved to April keeps its stored answeredAt (03-02 12:01,
        // its event sent none) and takes its April message: 29 days 12:11 later
        Assert.Equal([(1L, 150m), (1L, 29 * 86_400m + 12 * 3_600 + 11 * 60)], await FirstResponsesAsync(p));
        Assert.Equal(0, await HourlyDriftAsync(p));

        // 5: a message of an interaction that is not sent yet, then the interaction through the upsert path (sent with a
        //    stored one, so not all new): it starts at 0 and is recounted
        await Ndjson.IngestAsync(client, Message(8, 4, "2026-03-02T13:01:00Z", "customer"));
        await Ndjson.IngestAsync(client, Interaction(p, 4, "2026-03-02T13:00:00Z"), Interaction(p, 1, "2026-03-02T10:00:00Z", new { endedAt = "2026-03-02T10:30:00Z" }));
        Assert.Equal("1=3 2=3 3=1 4=1", await CountsAsync());
        Assert.Equal(0, await CountDriftAsync());
        Assert.Equal(0, await FirstResponseDriftAsync());
        var rollup = await RollupAsync("interaction_rollup_15m", p);

        // `rollups rebuild` restores copies and counts gone wrong
        await using (var connection = await db.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                UPDATE interactions SET first_agent_at = CASE interaction_id WHEN 2 THEN now() END, message_count = 7 WHERE provider_id = @p
                """, new { p });
        Assert.Equal(0, (await RunAsync(app, "rollups", "rebuild", "--provider", p.ToString(System.Globalization.CultureInfo.InvariantCulture))).Exit);
        Assert.Equal("1=03-02 10:03:00 2=- 3=04-01 00:12:00 4=-", await CopiesAsync());
        Assert.Equal("1=3 2=3 3=1 4=1", await CountsAsync());
        Assert.Equal(rollup, await RollupAsync("interaction_rollup_15m", p));
    }

    [Fact]
    public async Task All_new_message_batches_summed_by_the_client_or_in_SQL_equal_a_rebuild()
    {
        // Batch 1 and 3 take NewMessages (client sums, whole seconds); batch 2 has a time with a fraction of a microsecond
        // and batch 4 one before 1970, which send them down the SQL path. Batches share buckets and interactions, so the
        // upserts add to stored rollup rows and first agent messages (an earlier one replaces, a later one does not).
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        object Message(long id, long interaction, string at, string sender, long? senderId = null, string text = "hi") =>
            MessageEvent(p, id, interaction, at, sender, senderId, text);
        await Ndjson.IngestAsync(client, Ndjson.Provider(p),
            Message(1, 1, "2026-03-02T10:01:00Z", "customer", text: "card 4111111111111111, mail a@b.example"),
            Message(2, 1, "2026-03-02T10:05:00Z", "agent", 4), Message(3, 2, "2026-03-02T11:59:59Z", "bot", 1));
        await Ndjson.IngestAsync(client, Message(4, 1, "2026-03-02T10:14:59.9999995Z", "agent", 4), Message(5, 1, "2026-03-02T10:03:00.25Z", "agent", 5));
        await Ndjson.IngestAsync(client, Message(6, 1, "2026-03-02T10:02:00Z", "agent", 4), Message(7, 2, "2026-03-02T12:00:00Z", "system"),
            Message(8, 3, "2026-03-02T10:00:00Z", "agent", 6, "call +1 212 555 0100"));
        await Ndjson.IngestAsync(client, Message(9, 4, "1969-12-31T23:50:00Z", "agent", 4), Message(10, 4, "1969-12-31T23:44:59Z", "customer"));

        await using var connection = await db.DataSource.OpenConnectionAsync();
        const string First = "SELECT interaction_id, first_sent_at FROM interaction_first_agent_message WHERE provider_id = @p ORDER BY 1";
        var (rollups, first) = await MessageRollupsAsync(connection, p);
        Assert.Equal(new DateTime(2026, 3, 2, 10, 2, 0), first.Single(f => f.Item1 == 1).Item2);
        Assert.Equal(10L, await ScalarAsync<long>("SELECT sum(messages) FROM message_rollup_15m WHERE provider_id = @p", new { p }));
        // agent messages by hour and sender: 1969-12-31 23:00 agent 4 (9); 2026-03-02 10:00 agent 4 (2, 4, 6), 5 (5), 6 (8)
        Assert.Equal([(4L, 1L), (4L, 3L), (5L, 1L), (6L, 1L)], await connection.QueryAsync<(long, long)>(
            "SELECT agent_sender_id, from_agent FROM message_rollup_1h_agent WHERE provider_id = @p ORDER BY bucket_start, agent_sender_id", new { p }));
        await RebuildMessageRollupsAsync(app, connection, p);
        Assert.Equal(rollups, (await MessageRollupsAsync(connection, p)).Rollups);
        Assert.Equal(first, await connection.QueryAsync<(long, DateTime)>(First, new { p }));
    }

    /// <summary>Every rollup of messages (<see cref="Rollups.Of"/>), row by row, and the first agent messages of provider <paramref name="p"/>.</summary>
    private async Task<(List<List<object?[]>> Rollups, List<(long, DateTime)> First)> MessageRollupsAsync(NpgsqlConnection connection, long p)
    {
        var rollups = new List<List<object?[]>>();
        foreach (var rollup in Rollups.Of(IngestTables.Messages))
            rollups.Add(await RollupAsync(rollup.Name, p));
        return (rollups, (await connection.QueryAsync<(long, DateTime)>(
            "SELECT interaction_id, first_sent_at FROM interaction_first_agent_message WHERE provider_id = @p ORDER BY 1", new { p })).ToList());
    }

    /// <summary>Wipes provider <paramref name="p"/>'s message rollups and first agent messages, then runs <c>rollups rebuild</c> for it.</summary>
    private static async Task RebuildMessageRollupsAsync(KoopidApp app, NpgsqlConnection connection, long p)
    {
        await connection.ExecuteAsync(string.Join(";", [.. Rollups.Of(IngestTables.Messages).Select(r => $"DELETE FROM {r.Name} WHERE provider_id = @p"),
            "DELETE FROM interaction_first_agent_message WHERE provider_id = @p"]), new { p });
        Assert.Equal(0, (await RunAsync(app, "rollups", "rebuild", "--provider", p.ToString(System.Globalization.CultureInfo.InvariantCulture))).Exit);
    }

    private static async Task<(int Exit, string Out)> RunAsync(KoopidApp app, params string[] args)
    {
        var (exit, output, _) = await CommandRunner.RunAsync(app.Services, args);
        return (exit, output);
    }

    [Fact]
    public async Task An_event_moving_an_interaction_to_another_month_leaves_one_row_in_the_new_partition()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        var p = PostgresFixture.NewProviderId();
        var client = app.KoopidAdmin();
        await Ndjson.IngestAsync(client, Ndjson.Provider(p), Interaction(p, 1, "2026-01-31T23:50:00Z", new { intent = "billing", agentId = 2 }),
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-01-31T23:55:00Z", senderType = "customer", text = "hi" });
        var moved = await Ndjson.IngestAsync(client, Interaction(p, 1, "2026-02-01T00:10:00Z"),
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2026-02-01T00:11:00Z", senderType = "customer", text = "hi" });
        Assert.Equal(2, (int)moved["accepted"]!);

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string, DateTime, string?, long?)>(
            "SELECT tableoid::regclass::text, started_at, intent, agent_id FROM interactions WHERE provider_id = @p", new { p })).ToList();
        // one row, in February's partition, still carrying the intent and agent only the first event named
        Assert.Equal([("interactions_p2026_02", new DateTime(2026, 2, 1, 0, 10, 0), "billing", 2L)], rows);
        Assert.Equal(["messages_p2026_02"], await connection.QueryAsync<string>("SELECT tableoid::regclass::text FROM messages WHERE provider_id = @p", new { p }));
        Assert.Equal([new DateTime(2026, 2, 1, 0, 0, 0)], await connection.QueryAsync<DateTime>("SELECT bucket_start FROM interaction_rollup_15m WHERE provider_id = @p", new { p }));
    }

    [Fact]
    public async Task Retention_moves_the_first_response_sums_of_an_interaction_whose_first_agent_message_it_purges()
    {
        // now 2004-02-10T00:07Z, 365 days → cut-off 2003-02-10T00:07Z; the interaction's 15-minute step (00:15) is after it,
        // so retention does not recompute that rollup row: the purge of the first agent message must move its sums
        var clock = new FrozenClock(new DateTimeOffset(2004, 2, 10, 0, 7, 0, TimeSpan.Zero));
        await using var app = new KoopidApp(db.ConnectionString, clock);
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p),
            Interaction(p, 1, "2003-02-10T00:20:00Z", new { answeredAt = "2003-02-10T00:20:30Z" }),
            MessageEvent(p, 1, 1, "2003-02-10T00:05:00Z", "agent", 4, "before the cut-off"),
            MessageEvent(p, 2, 1, "2003-02-10T00:22:00Z", "agent", 4, "kept"));
        // 00:05 − 00:20:30: the first agent message came before the answer
        Assert.Equal([(1L, -930m)], await FirstResponsesAsync(p));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retention:HistoryDays"] = "365" }).Build();
        await new RetentionService(db.DataSource, configuration, clock, NullLogger<RetentionService>.Instance).PurgeAsync(CancellationToken.None);

        // 00:22 − 00:20:30, in the 15-minute row and the hourly tiers alike, as a rebuild computes them
        Assert.Equal([(1L, 90m)], await FirstResponsesAsync(p));
        Assert.Equal(0, await HourlyDriftAsync(p));
        var rollup = await RollupAsync("interaction_rollup_15m", p);
        Assert.Equal(0, (await RunAsync(app, "rollups", "rebuild", "--provider", p.ToString(System.Globalization.CultureInfo.InvariantCulture))).Exit);
        Assert.Equal(rollup, await RollupAsync("interaction_rollup_15m", p));
    }

    [Fact]
    public async Task Retention_drops_a_whole_old_month_and_trims_the_cut_off_month_and_its_rollups()
    {
        // now 2004-02-10T00:07Z, 365 days → cut-off 2003-02-10T00:07Z (not on a 15-minute step)
        var clock = new FrozenClock(new DateTimeOffset(2004, 2, 10, 0, 7, 0, TimeSpan.Zero));
        await using var app = new KoopidApp(db.ConnectionString, clock, new Dictionary<string, string?> { ["Redaction:StoreRaw"] = "true" });
        var p = PostgresFixture.NewProviderId();
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p),
            Interaction(p, 1, "2003-01-15T12:00:00Z", new { customerId = 5 }),   // January 2003 ends before the cut-off: its partition is dropped
            Interaction(p, 2, "2003-02-10T00:05:00Z"),   // cut-off month, 2 minutes before the cut-off: deleted
            Interaction(p, 3, "2003-02-10T00:10:00Z", new { customerId = 5 }),   // same 00:00 bucket, after the cut-off: kept
            new { type = "message", providerId = p, messageId = 1, interactionId = 1, sentAt = "2003-01-15T12:00:01Z", senderType = "agent", text = "old" },
            new { type = "message", providerId = p, messageId = 2, interactionId = 3, sentAt = "2003-02-10T00:06:00Z", senderType = "agent", text = "purged" },
            new { type = "message", providerId = p, messageId = 3, interactionId = 3, sentAt = "2003-02-10T00:11:00Z", senderType = "agent", text = "kept" },
            // an interaction after the cut-off's 15-minute step whose first message is older than the cut-off: its count
            // drops by one in a rollup row retention does not recompute
            Interaction(p, 4, "2003-02-10T00:20:00Z"),
            new { type = "message", providerId = p, messageId = 4, interactionId = 4, sentAt = "2003-02-10T00:05:00Z", senderType = "customer", text = "purged" },
            new { type = "message", providerId = p, messageId = 5, interactionId = 4, sentAt = "2003-02-10T00:21:00Z", senderType = "customer", text = "kept" });
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.NotNull(await connection.QuerySingleAsync<string?>("SELECT to_regclass('interactions_p2003_01')::text"));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retention:HistoryDays"] = "365" }).Build();
        var removed = await new RetentionService(db.DataSource, configuration, clock, NullLogger<RetentionService>.Instance).PurgeAsync(CancellationToken.None);

        Assert.True(removed["interactions:partitions"] >= 1 && removed["messages:partitions"] >= 1);
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT to_regclass('interactions_p2003_01')::text"));
        Assert.Null(await connection.QuerySingleAsync<string?>("SELECT to_regclass('messages_p2003_01')::text"));
        Assert.NotNull(await connection.QuerySingleAsync<string?>("SELECT to_regclass('interactions_p2004_03')::text")); // next month made ahead
        Assert.Equal([3L, 4L], await connection.QueryAsync<long>("SELECT interaction_id FROM interactions WHERE provider_id = @p ORDER BY 1", new { p }));
        Assert.Equal([3L, 5L], await connection.QueryAsync<long>("SELECT message_id FROM messages_raw WHERE provider_id = @p ORDER BY 1", new { p }));
        // the 00:00 bucket holding the cut-off is recomputed from what is left: interaction 3 alone; 00:15 keeps 4
        Assert.Equal([(new DateTime(2003, 2, 10, 0, 0, 0), 1L), (new DateTime(2003, 2, 10, 0, 15, 0), 1L)],
            await connection.QueryAsync<(DateTime, long)>("SELECT bucket_start, interactions FROM interaction_rollup_15m WHERE provider_id = @p ORDER BY 1", new { p }));
        // the hourly tier likewise: the 00:00 hour holding the cut-off keeps interactions 3 and 4
        Assert.Equal([(new DateTime(2003, 2, 10, 0, 0, 0), 2L)],
            await connection.QueryAsync<(DateTime, long)>("SELECT bucket_start, interactions FROM interaction_rollup_1h WHERE provider_id = @p", new { p }));
        Assert.Equal([(new DateTime(2003, 2, 10, 0, 0, 0), 2L)],
            await connection.QueryAsync<(DateTime, long)>("SELECT bucket_start, interactions FROM interaction_rollup_1h_total WHERE provider_id = @p", new { p }));
        // "first ever" after retention = the first interaction still stored
        Assert.Equal([(5L, new DateTime(2003, 2, 10, 0, 10, 0))], await FirstsAsync(p));
        // first agent messages: interaction 1's went with its month, interaction 3's is now the one left (00:11), on the
        // interaction too
        Assert.Equal([(3L, new DateTime(2003, 2, 10, 0, 11, 0))],
            await connection.QueryAsync<(long, DateTime)>("SELECT interaction_id, first_sent_at FROM interaction_first_agent_message WHERE provider_id = @p", new { p }));
        Assert.Equal([(3L, new DateTime(2003, 2, 10, 0, 11, 0))],
            await connection.QueryAsync<(long, DateTime)>("SELECT interaction_id, first_agent_at FROM interactions WHERE provider_id = @p AND first_agent_at IS NOT NULL", new { p }));
        Assert.Equal([(new DateTime(2003, 2, 10, 0, 0, 0), 1L), (new DateTime(2003, 2, 10, 0, 15, 0), 1L)],
            await connection.QueryAsync<(DateTime, long)>("SELECT bucket_start, messages FROM message_rollup_15m WHERE provider_id = @p ORDER BY 1", new { p }));
        // interactions 3 and 4 are left with one message each (00:11, 00:21), and the rollup rows sum those counts: the
        // 00:15 row of 4 was not recomputed, so its sum moved by the recount's delta
        Assert.Equal([(3L, 1), (4L, 1)],
            await connection.QueryAsync<(long, int)>("SELECT interaction_id, message_count FROM interactions WHERE provider_id = @p ORDER BY 1", new { p }));
        Assert.Equal([(new DateTime(2003, 2, 10, 0, 0, 0), 1L, 1L), (new DateTime(2003, 2, 10, 0, 15, 0), 1L, 1L)],
            await connection.QueryAsync<(DateTime, long, long)>("SELECT bucket_start, interactions, messages FROM interaction_rollup_15m WHERE provider_id = @p ORDER BY 1", new { p }));
        Assert.Equal([(new DateTime(2003, 2, 10, 0, 0, 0), 2L, 2L)],
            await connection.QueryAsync<(DateTime, long, long)>("SELECT bucket_start, interactions, messages FROM interaction_rollup_1h_total WHERE provider_id = @p", new { p }));
    }
}
