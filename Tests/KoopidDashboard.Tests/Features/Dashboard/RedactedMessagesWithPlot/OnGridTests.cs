using KoopidDashboard.Features.Dashboard.RedactedMessagesWithPlot;

namespace KoopidDashboard.Tests.Features.Dashboard.RedactedMessagesWithPlot;

/// <summary>The hour-of-day chart reads a rollup step only when no local hour boundary can fall inside it.</summary>
public sealed class OnGridTests
{
    private static readonly DateTime From = new(2025, 10, 1, 0, 0, 0, DateTimeKind.Utc), To = new(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Quarter = TimeSpan.FromMinutes(15), Hour = TimeSpan.FromHours(1);

    [Theory]
    [InlineData("America/New_York", true, true)]     // −5 / −4
    [InlineData("Europe/Berlin", true, true)]
    [InlineData("UTC", true, true)]
    [InlineData("Asia/Kolkata", true, false)]        // +5:30
    [InlineData("Asia/Kathmandu", true, false)]      // +5:45
    [InlineData("Australia/Lord_Howe", true, false)] // +10:30 / +11 (a half-hour DST shift)
    [InlineData("Australia/Adelaide", true, false)]  // +9:30 / +10:30
    public void Offsets_on_the_grid_in_2025_and_2026(string zone, bool quarter, bool hour)
    {
        var z = TimeZoneInfo.FindSystemTimeZoneById(zone);
        Assert.Equal(quarter, Data.OnGrid(z, From, To, Quarter));
        Assert.Equal(hour, Data.OnGrid(z, From, To, Hour));
    }

    [Fact]
    public void Local_mean_time_of_the_1800s_is_off_any_grid()
    {
        // New York kept local mean time (−4:56:02) until 18 November 1883
        var ny = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        Assert.False(Data.OnGrid(ny, new DateTime(1883, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(1883, 2, 1, 0, 0, 0, DateTimeKind.Utc), Quarter));
    }
}
