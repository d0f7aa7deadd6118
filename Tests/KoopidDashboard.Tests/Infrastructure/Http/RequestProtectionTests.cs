using System.Diagnostics;
using System.Net;
using Dapper;
using KoopidDashboard.Tests.Support;
using Npgsql;

namespace KoopidDashboard.Tests.Infrastructure.Http;

/// <summary>Abuse limits and bounded waits: 429 per credential, security headers, pool exhaustion → 503, cancellation reaches the database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RequestProtectionTests(PostgresFixture db)
{
    private const string Range = """{"start":1772928000000,"end":1773014400000,"interval":"total"}""";

    [Fact]
    public async Task A_credential_over_its_budget_gets_429_with_Retry_After_while_another_is_unaffected()
    {
        await using var app = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Protection:RequestsPerMinute"] = "3" });
        var p = PostgresFixture.NewProviderId();
        var first = app.ProviderAdmin(p);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await first.PostAsync("/Dashboard/Interactions", new StringContent(Range));
            statuses.Add(last.StatusCode);
        }
        using var other = await app.ClientAs("ProviderAdmin", p, subject: "someone-else").PostAsync("/Dashboard/Interactions", new StringContent(Range));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("application/problem+json", last!.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(last.Headers.GetValues("Retry-After").Single()), 1, 60);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task Responses_carry_security_headers_and_are_not_cached()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        using var response = await app.ProviderAdmin(PostgresFixture.NewProviderId()).PostAsync("/Dashboard/Interactions", new StringContent(Range));

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task When_every_pooled_connection_is_busy_a_request_waits_a_bounded_time_then_gets_503()
    {
        var p = PostgresFixture.NewProviderId();
        var tiny = new NpgsqlConnectionStringBuilder(db.ConnectionString) { MaxPoolSize = 1, Timeout = 2 }.ConnectionString;
        await using var app = new KoopidApp(tiny);
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));

        // Hold a lock the dashboard query must wait for, so the single pooled connection stays busy.
        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE", transaction: transaction);

        var client = app.ProviderAdmin(p);
        var stuck = client.PostAsync("/Dashboard/Interactions", new StringContent(Range));
        await Task.Delay(500);
        var clock = Stopwatch.StartNew();
        using var waiting = await client.PostAsync("/Dashboard/Interactions", new StringContent(Range));
        clock.Stop();
        await transaction.RollbackAsync();
        using var released = await stuck;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, waiting.StatusCode);
        Assert.Equal("5", waiting.Headers.RetryAfter?.ToString());
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 10);
        Assert.Equal(HttpStatusCode.Created, released.StatusCode);
    }

    [Fact]
    public async Task A_cancelled_request_cancels_its_query_in_PostgreSQL()
    {
        var p = PostgresFixture.NewProviderId();
        await using var app = new KoopidApp(db.ConnectionString + ";Application Name=cancel-test");
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));

        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE", transaction: transaction);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            app.ProviderAdmin(p).PostAsync("/Dashboard/Interactions", new StringContent(Range), cancel.Token));

        // Within a few seconds nothing of the app's is still waiting in the server.
        long waiting = -1;
        for (var attempt = 0; attempt < 20 && waiting != 0; attempt++)
        {
            await Task.Delay(250);
            waiting = await blocker.QuerySingleAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'cancel-test' AND state = 'active' AND query LIKE '%FROM interactions%'",
                transaction: transaction);
        }
        await transaction.RollbackAsync();
        Assert.Equal(0, waiting);
    }

    [Fact]
    public async Task A_request_over_the_time_limit_is_cancelled_and_answered_503()
    {
        var p = PostgresFixture.NewProviderId();
        await using var app = new KoopidApp(db.ConnectionString, settings: new Dictionary<string, string?> { ["Protection:RequestTimeout"] = "00:00:01" });
        await Ndjson.IngestAsync(app.KoopidAdmin(), Ndjson.Provider(p));

        await using var blocker = await db.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await blocker.ExecuteAsync("LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE", transaction: transaction);
        using var response = await app.ProviderAdmin(p).PostAsync("/Dashboard/Interactions", new StringContent(Range));
        await transaction.RollbackAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
