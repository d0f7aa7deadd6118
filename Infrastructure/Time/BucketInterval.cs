namespace KoopidDashboard.Infrastructure.Time;

/// <summary>The interval set of SPEC §3. Sub-day intervals are fixed steps; day, week and month follow local midnights.</summary>
public sealed record BucketInterval(string Name, TimeSpan? FixedStep, bool IsCalendar)
{
    public static readonly BucketInterval Minutes15 = new("PT15M", TimeSpan.FromMinutes(15), false);
    public static readonly BucketInterval Minutes30 = new("PT30M", TimeSpan.FromMinutes(30), false);
    public static readonly BucketInterval Hour = new("PT1H", TimeSpan.FromHours(1), false);
    public static readonly BucketInterval Day = new("P1D", null, true);
    public static readonly BucketInterval Week = new("P1W", null, true);
    public static readonly BucketInterval Month = new("P1M", null, true);
    public static readonly BucketInterval Total = new("total", null, false);

    public static readonly IReadOnlyList<BucketInterval> All = [Minutes15, Minutes30, Hour, Day, Week, Month, Total];

    public static string Names => string.Join(", ", All.Select(i => i.Name));

    /// <summary>Case-insensitive, as the names are ISO 8601 durations that clients write either way.</summary>
    public static BucketInterval? Parse(string? name) =>
        All.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase));

    public bool IsSubDay => FixedStep is not null;
}
