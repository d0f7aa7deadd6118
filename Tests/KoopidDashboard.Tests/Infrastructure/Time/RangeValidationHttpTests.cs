using System.Net;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Infrastructure.Time;

/// <summary>Range failures that only appear once defaults are filled in (end = now) still name the field in the 400 problem.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RangeValidationHttpTests(PostgresFixture db)
{
    [Fact]
    public async Task A_start_without_end_that_makes_the_range_too_long_is_a_400_naming_end()
    {
        await using var app = new KoopidApp(db.ConnectionString, new FrozenClock(new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero)));
        using var response = await app.ProviderAdmin(PostgresFixture.NewProviderId())
            .PostAsync("/Dashboard/Interactions", new StringContent("""{"start":0,"interval":"P1W"}"""));
        var problem = await Ndjson.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("end", (string)problem["errors"]![0]!["name"]!);
        Assert.Contains("at most 400 days", (string)problem["errors"]![0]!["reason"]!);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", (string)problem["type"]!);
    }

    [Fact]
    public async Task Validator_failures_use_the_same_problem_type_as_every_other_400()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        using var response = await app.ProviderAdmin(PostgresFixture.NewProviderId())
            .PostAsync("/Dashboard/Interactions", new StringContent("""{"interval":"PT2H"}"""));
        var problem = await Ndjson.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", (string)problem["type"]!);
        Assert.Equal("interval", (string)problem["errors"]![0]!["name"]!);
    }

    [Fact]
    public async Task A_NUL_character_in_a_filter_is_a_400_naming_the_field_not_a_database_error()
    {
        await using var app = new KoopidApp(db.ConnectionString);
        using var response = await app.ProviderAdmin(PostgresFixture.NewProviderId())
            .PostAsync("/Dashboard/Interactions", new StringContent("""{"channel":["sms\u0000"]}"""));
        var problem = await Ndjson.ReadObjectAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("channel", (string)problem["errors"]![0]!["name"]!);
    }
}
