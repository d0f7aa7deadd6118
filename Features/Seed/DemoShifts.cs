namespace KoopidDashboard.Features.Seed;

/// <summary>One login → logout span, in unix seconds (UTC).</summary>
internal sealed record DemoSession(int AgentIndex, long LoginAt, long LogoutAt);

/// <summary>
/// Agent rosters in the provider's local time. Each local date's sessions come from their own seeded
/// Random, so the roster does not depend on the order in which days are asked for; interactions are
/// only answered by an agent who is logged in at that moment, which keeps occupancy meaningful.
/// </summary>
internal sealed class DemoShifts
{
    // Night agents work 22:00 → 06:30 local (so some session always crosses midnight); early starts at 06:30.
    public static readonly ShiftKind Night = new("night", TimeSpan.FromHours(22), TimeSpan.FromHours(8.5));
    public static readonly ShiftKind[] DayShifts =
    [
        new("early", TimeSpan.FromHours(6.5), TimeSpan.FromHours(8.5)),
        new("day", TimeSpan.FromHours(9), TimeSpan.FromHours(8.5)),
        new("day", TimeSpan.FromHours(9), TimeSpan.FromHours(8.5)),
        new("late", TimeSpan.FromHours(12.5), TimeSpan.FromHours(8.5)),
        new("evening", TimeSpan.FromHours(15), TimeSpan.FromHours(8.5)),
    ];

    private readonly int _seed;
    private readonly long _providerId;
    private readonly TimeZoneInfo _tz;
    private readonly IReadOnlyList<DemoAgent> _agents;
    private readonly Dictionary<int, List<DemoSession>> _byLocalDay = [];

    public DemoShifts(int seed, long providerId, TimeZoneInfo tz, IReadOnlyList<DemoAgent> agents)
    {
        (_seed, _providerId, _tz, _agents) = (seed, providerId, tz, agents);
    }

    /// <summary>Sessions whose login falls in [from, to), ordered by login.</summary>
    public IEnumerable<DemoSession> LoginsBetween(long from, long to)
    {
        int first = LocalDay(from) - 1, last = LocalDay(to) + 1;
        var found = new List<DemoSession>();
        for (int d = first; d <= last; d++)
            foreach (var s in ForLocalDay(d))
                if (s.LoginAt >= from && s.LoginAt < to) found.Add(s);
        return found.OrderBy(s => s.LoginAt).ThenBy(s => s.AgentIndex);
    }

    /// <summary>An agent logged in at <paramref name="at"/>, preferring one skilled for the queue; -1 if nobody is.</summary>
    public int OnDuty(long at, int queueIndex, Random r)
    {
        int day = LocalDay(at);
        int skilled = 0, any = 0, pickSkilled = -1, pickAny = -1;
        for (int d = day - 1; d <= day; d++)
        {
            foreach (var s in ForLocalDay(d))
            {
                if (s.LoginAt > at || s.LogoutAt <= at) continue;
                // Reservoir sampling: a uniform pick without building a candidate list.
                if (r.Next(++any) == 0) pickAny = s.AgentIndex;
                if (Array.IndexOf(_agents[s.AgentIndex].Queues, queueIndex) >= 0 && r.Next(++skilled) == 0) pickSkilled = s.AgentIndex;
            }
        }
        return pickSkilled >= 0 ? pickSkilled : pickAny;
    }

    private int LocalDay(long unixSeconds) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), _tz).DateTime).DayNumber;

    private List<DemoSession> ForLocalDay(int dayNumber)
    {
        if (_byLocalDay.TryGetValue(dayNumber, out var cached)) return cached;
        var r = new Random(DemoRandom.Derive(_seed, _providerId * 7 + 3, dayNumber));
        var date = DateOnly.FromDayNumber(dayNumber);
        var list = new List<DemoSession>();
        for (int i = 0; i < _agents.Count; i++)
        {
            var a = _agents[i];
            int offset = ((int)date.DayOfWeek - (int)a.FirstDayOff + 7) % 7;
            bool dayOff = offset < 2 || r.NextDouble() < 0.04; // two days off a week, plus the odd sick day
            if (dayOff) continue;
            DateTime start = date.ToDateTime(TimeOnly.MinValue) + a.Shift.Start + TimeSpan.FromMinutes(r.Next(-10, 16));
            DateTime end = start + a.Shift.Length + TimeSpan.FromMinutes(r.Next(-15, 21));
            if (r.NextDouble() < 0.45)
            {
                // A lunch break logs the agent out and back in: two sessions that day.
                DateTime breakAt = start + TimeSpan.FromMinutes(r.Next(180, 300));
                DateTime back = breakAt + TimeSpan.FromMinutes(r.Next(30, 61));
                list.Add(new DemoSession(i, ToUnix(start), ToUnix(breakAt)));
                list.Add(new DemoSession(i, ToUnix(back), ToUnix(end)));
            }
            else
            {
                list.Add(new DemoSession(i, ToUnix(start), ToUnix(end)));
            }
        }
        _byLocalDay[dayNumber] = list;
        return list;
    }

    /// <summary>Local wall-clock → UTC; a time skipped by a DST jump is moved an hour later.</summary>
    private long ToUnix(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_tz.IsInvalidTime(local)) local = local.AddHours(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, _tz), TimeSpan.Zero).ToUnixTimeSeconds();
    }
}
