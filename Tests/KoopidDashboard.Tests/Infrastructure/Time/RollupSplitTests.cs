using KoopidDashboard.Infrastructure.Time;
using Microsoft.Extensions.Configuration;

namespace KoopidDashboard.Tests.Infrastructure.Time;

/// <summary>RollupSplit (docs/performance.md): the whole 15-minute steps and, inside them, the whole UTC hours of the coarse tier.</summary>
public sealed class RollupSplitTests
{
    private static readonly TimeZoneInfo NewYork = TimeZones.Find("America/New_York")!;
    private static readonly TimeZoneInfo Kolkata = TimeZones.Find("Asia/Kolkata")!;
    private static readonly IConfiguration On = new ConfigurationBuilder().Build();

    private static DateTime Utc(int d, int h, int mi = 0, int s = 0) => new(2026, 3, d, h, mi, s, DateTimeKind.Utc);

    [Fact]
    public void Days_in_New_York_get_the_whole_UTC_hours_inside_the_15_minute_steps()
    {
        // 12:34:56 → steps from 12:45, hours from 13:00; 03:50:10 → steps to 03:45, hours to 03:00.
        var split = RollupSplit.For(BucketPlan.Create(Utc(1, 12, 34, 56), Utc(12, 3, 50, 10), BucketInterval.Day, NewYork), On)!;

        Assert.Equal((Utc(1, 12, 45), Utc(12, 3, 45)), (split.RollupStart, split.RollupEnd));
        Assert.True(split.HasHours);
        Assert.Equal((Utc(1, 13), Utc(12, 3)), (split.HourStart!.Value, split.HourEnd!.Value));
    }

    [Fact]
    public void Hour_aligned_ranges_read_hours_only_and_weeks_hours_and_months_qualify()
    {
        foreach (var interval in new[] { BucketInterval.Hour, BucketInterval.Day, BucketInterval.Week, BucketInterval.Month })
        {
            var split = RollupSplit.For(BucketPlan.Create(Utc(1, 5), Utc(20, 4), interval, NewYork), On)!;
            Assert.Equal((split.RollupStart, split.RollupEnd), (split.HourStart!.Value, split.HourEnd!.Value));
        }
    }

    [Fact]
    public void Kolkata_days_and_15_minute_plans_keep_the_15_minute_path()
    {
        // Kolkata's local midnight is 18:30Z: an hour row would straddle a day bound.
        var kolkata = RollupSplit.For(BucketPlan.Create(Utc(1, 18, 30), Utc(14, 18, 30), BucketInterval.Day, Kolkata), On)!;
        var quarter = RollupSplit.For(BucketPlan.Create(Utc(1, 5), Utc(2, 5), BucketInterval.Minutes15, NewYork), On)!;

        Assert.False(kolkata.HasHours);
        Assert.False(quarter.HasHours);
        Assert.Equal((Utc(1, 18, 30), Utc(14, 18, 30)), (kolkata.RollupStart, kolkata.RollupEnd));
    }

    [Fact]
    public void A_range_without_a_whole_UTC_hour_has_no_hourly_part()
    {
        var split = RollupSplit.For(BucketPlan.Create(Utc(3, 9, 10), Utc(3, 10, 50), BucketInterval.Hour, NewYork), On)!;

        Assert.Equal((Utc(3, 9, 15), Utc(3, 10, 45)), (split.RollupStart, split.RollupEnd));
        Assert.False(split.HasHours);
    }

    [Fact]
    public void HoursFor_gives_the_whole_hours_when_the_tier_may_answer_and_else_an_empty_range_at_the_rollup_end()
    {
        var ny = RollupSplit.For(BucketPlan.Create(Utc(1, 12, 34, 56), Utc(12, 3, 50, 10), BucketInterval.Day, NewYork), On)!;
        Assert.Equal(((DateTime?)Utc(1, 13), (DateTime?)Utc(12, 3)), RollupSplit.HoursFor(ny, coarse: true));
        Assert.Equal(((DateTime?)Utc(12, 3, 45), (DateTime?)Utc(12, 3, 45)), RollupSplit.HoursFor(ny, coarse: false));
        // no whole hour (Kolkata days): empty, whatever the filters
        var kolkata = RollupSplit.For(BucketPlan.Create(Utc(1, 18, 30), Utc(14, 18, 30), BucketInterval.Day, Kolkata), On)!;
        Assert.Equal(((DateTime?)Utc(14, 18, 30), (DateTime?)Utc(14, 18, 30)), RollupSplit.HoursFor(kolkata, coarse: true));
        Assert.Equal(((DateTime?)null, (DateTime?)null), RollupSplit.HoursFor(null, coarse: true));
    }
}
