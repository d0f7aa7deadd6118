using KoopidDashboard.Infrastructure.Time;

namespace KoopidDashboard.Tests.Infrastructure.Time;

/// <summary>The shared bucket engine (SPEC §3): local midnights, DST days, half-hour zones, partial edges, limits.</summary>
public sealed class BucketPlanTests
{
    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York")!;
    private static readonly TimeZoneInfo Kolkata = TimeZones.Find("Asia/Kolkata")!;

    private static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    [Fact]
    public void A_spring_forward_day_in_New_York_is_23_hours_with_23_hourly_buckets()
    {
        // 2026-03-08 local midnight = 05:00Z (EST, −5); next midnight = 04:00Z (EDT, −4): 23 h.
        var day = BucketPlan.Create(Utc(2026, 3, 8, 5), Utc(2026, 3, 9, 4), BucketInterval.Day, NewYork);
        var hours = BucketPlan.Create(Utc(2026, 3, 8, 5), Utc(2026, 3, 9, 4), BucketInterval.Hour, NewYork);

        Assert.Equal(23 * 3600, Assert.Single(day.Buckets).Seconds);
        Assert.Equal(23, hours.Buckets.Count);
        Assert.All(hours.Buckets, b => Assert.Equal(3600, b.Seconds));
    }

    [Fact]
    public void A_fall_back_day_in_New_York_is_25_hours()
    {
        // 2026-11-01 local midnight = 04:00Z (EDT); 2026-11-02 local midnight = 05:00Z (EST): 25 h.
        var plan = BucketPlan.Create(Utc(2026, 10, 31, 4), Utc(2026, 11, 3, 5), BucketInterval.Day, NewYork);

        Assert.Equal([24.0, 25.0, 24.0], plan.Buckets.Select(b => b.Seconds / 3600));
        Assert.Equal(Utc(2026, 11, 1, 4), plan.Buckets[1].Start);
        Assert.Equal(Utc(2026, 11, 2, 5), plan.Buckets[1].End);
    }

    [Fact]
    public void Hourly_buckets_in_Kolkata_are_local_hours_so_a_UTC_range_starts_with_a_half_hour()
    {
        // Kolkata is +05:30: local hours start at hh:30Z. A range from 09:00Z starts with [09:00Z, 09:30Z).
        var plan = BucketPlan.Create(Utc(2026, 3, 8, 9), Utc(2026, 3, 8, 12), BucketInterval.Hour, Kolkata);

        Assert.Equal([Utc(2026, 3, 8, 9), Utc(2026, 3, 8, 9, 30), Utc(2026, 3, 8, 10, 30), Utc(2026, 3, 8, 11, 30), Utc(2026, 3, 8, 12)], plan.Bounds);
    }

    [Fact]
    public void Weeks_start_on_local_Monday_and_edges_are_clipped()
    {
        // 2026-03-04 is a Wednesday. In UTC the weeks start Mon 2026-03-09 and Mon 2026-03-16.
        var plan = BucketPlan.Create(Utc(2026, 3, 4, 12), Utc(2026, 3, 18), BucketInterval.Week, TimeZoneInfo.Utc);

        Assert.Equal([Utc(2026, 3, 4, 12), Utc(2026, 3, 9), Utc(2026, 3, 16), Utc(2026, 3, 18)], plan.Bounds);
    }

    [Fact]
    public void Months_have_their_own_lengths_and_follow_local_midnight()
    {
        // New York: 2026-02-01 00:00 = 05:00Z, 2026-03-01 00:00 = 05:00Z (EST), 2026-04-01 00:00 = 04:00Z (EDT).
        var plan = BucketPlan.Create(Utc(2026, 2, 1, 5), Utc(2026, 4, 1, 4), BucketInterval.Month, NewYork);

        Assert.Equal(2, plan.Buckets.Count);
        Assert.Equal(28 * 24, plan.Buckets[0].Seconds / 3600);
        Assert.Equal(31 * 24 - 1, plan.Buckets[1].Seconds / 3600); // March loses the spring-forward hour
    }

    [Fact]
    public void Total_is_one_bucket_covering_the_range()
    {
        var plan = BucketPlan.Create(Utc(2026, 1, 1), Utc(2026, 1, 5, 7), BucketInterval.Total, NewYork);
        Assert.Equal([Utc(2026, 1, 1), Utc(2026, 1, 5, 7)], plan.Bounds);
    }

    [Theory]
    [InlineData(null, null, 1, "PT1H")]      // default 24 h → hourly
    [InlineData(0L, 5L * 86_400_000, 5, "P1D")]
    [InlineData(0L, 100L * 86_400_000, 15, "P1W")]
    public void Defaults_pick_the_interval_from_the_range_length(long? start, long? end, int _, string expected)
    {
        var failures = RangeResolver.TryResolve(start, end, null, null, null, Utc(2026, 3, 8), out var plan);
        Assert.Empty(failures);
        Assert.Equal(expected, plan!.Interval.Name);
    }

    [Fact]
    public void Without_start_and_end_the_range_is_the_last_24_hours_in_the_provider_zone()
    {
        var failures = RangeResolver.TryResolve(null, null, null, null, "Asia/Kolkata", Utc(2026, 3, 8, 12), out var plan);
        Assert.Empty(failures);
        Assert.Equal(Utc(2026, 3, 7, 12), plan!.Start);
        Assert.Equal("Asia/Kolkata", plan.Zone.Id);
        Assert.Equal(25, plan.Buckets.Count); // 12:00Z is 17:30 local: a half hour, 23 hours, a half hour
    }

    [Theory]
    [InlineData(10L, 5L, null, null, "start")]                                 // start after end
    [InlineData(-1L, 5L, null, null, "start")]                                 // negative
    [InlineData(0L, 32L * 86_400_000, "PT1H", null, "end")]                     // sub-day over 31 days
    [InlineData(0L, 401L * 86_400_000, "P1D", null, "end")]                     // over 400 days
    [InlineData(0L, 25L * 86_400_000, "PT15M", null, "interval")]               // 2400 buckets > 2000
    [InlineData(0L, 5L, "PT2H", null, "interval")]
    [InlineData(0L, 5L, null, "Mars/Olympus", "tz")]
    [InlineData(0L, 5L, null, "EST", "tz")]                                     // abbreviations are not IANA zones
    public void Bad_ranges_name_the_field_and_say_how_to_fix_it(long start, long end, string? interval, string? tz, string field)
    {
        var failures = RangeResolver.TryResolve(start, end, interval, tz, null, Utc(2026, 3, 8), out var plan);
        Assert.Null(plan);
        Assert.Equal(field, Assert.Single(failures).PropertyName);
    }

    [Fact]
    public void The_limit_message_names_the_limit_and_how_to_split()
    {
        var failures = RangeResolver.TryResolve(0, 32L * 86_400_000, "PT1H", null, null, Utc(2026, 3, 8), out _);
        Assert.Contains("at most 31 days per call", failures[0].ErrorMessage);
        Assert.Contains("Split it", failures[0].ErrorMessage);
    }
}
