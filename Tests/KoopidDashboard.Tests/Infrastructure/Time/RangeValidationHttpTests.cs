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
}
