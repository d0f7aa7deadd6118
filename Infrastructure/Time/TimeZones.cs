namespace KoopidDashboard.Infrastructure.Time;

public static class TimeZones
{
    /// <summary>IANA zones only ("America/New_York", "UTC", "Etc/GMT+5"); Windows names and abbreviations are refused.</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
            return null;
        if (!(id.Contains('/') || id is "UTC" or "GMT" or "Etc/UTC"))
            return null;
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    /// <summary>
    /// The instant of a local wall-clock time. In a spring-forward gap the clock jumps, so the first instant after the
    /// gap is used; in a fall-back overlap the earlier instant (the first time the clock shows it).
    /// </summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(15);
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public static DateTime ToLocal(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);

    /// <summary>The instant of local midnight starting the local date that contains <paramref name="utc"/>.</summary>
    public static DateTime LocalMidnightUtc(DateTime utc, TimeZoneInfo zone) => ToUtc(ToLocal(utc, zone).Date, zone);
}
