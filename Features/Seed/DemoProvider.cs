namespace KoopidDashboard.Features.Seed;

/// <summary>
/// One tenant's generated master data (agents, queues, bots, customers with endpoints) plus the
/// counters that keep its ids sequential. Master data is small (a few thousand customers), so it is
/// held in memory; traffic is streamed day by day.
/// </summary>
internal sealed class DemoProvider
{
    public required ProviderSpec Spec { get; init; }
    public required int Index { get; init; }
    public required TimeZoneInfo Tz { get; init; }
    public required List<DemoAgent> Agents { get; init; }
    public required long[] QueueIds { get; init; }
    public required long[] BotIds { get; init; }
    public required List<DemoCustomer> Customers { get; init; }
    /// <summary>Customer indexes with an endpoint on each channel, ascending (older customers first).</summary>
    public required Dictionary<string, List<int>> ByChannel { get; init; }
    public required DemoShifts Shifts { get; init; }

    public long NextInteraction, NextMessage, NextAgentSession, NextBotSession;
    /// <summary>How many interactions were generated so far; the first ones rotate through every channel.</summary>
    public int Generated;

    public static DemoProvider Build(ProviderSpec spec, int index, int seed, double scale)
    {
        var r = new Random(DemoRandom.Derive(seed, spec.Id, -1));
        var tz = TimeZoneInfo.FindSystemTimeZoneById(spec.TimeZone);
        var staffTexts = DemoTexts.ByLanguage[spec.Languages[0].Lang];

        var agents = new List<DemoAgent>(spec.Agents);
        for (int i = 0; i < spec.Agents; i++)
        {
            var queues = new SortedSet<int> { i % spec.Queues.Length };
            for (int extra = r.Next(3); extra > 0; extra--) queues.Add(r.Next(spec.Queues.Length));
            bool night = i < 2;
            agents.Add(new DemoAgent
            {
                Id = DemoIds.Of(spec.Id, DemoIds.Agent, i + 1),
                Name = $"{DemoPii.Pick(r, staffTexts.FirstNames)} {DemoPii.Pick(r, staffTexts.LastNames)}",
                Queues = [.. queues],
                Shift = night ? DemoShifts.Night : DemoShifts.DayShifts[i % DemoShifts.DayShifts.Length],
                // Night agents alternate days off so every night is covered; most day staff get the weekend.
                FirstDayOff = night ? (i == 0 ? DayOfWeek.Monday : DayOfWeek.Thursday)
                    : r.NextDouble() < 0.6 ? DayOfWeek.Saturday : (DayOfWeek)r.Next(1, 5),
            });
        }

        int customerCount = Math.Max(30, (int)Math.Round(spec.Customers * scale));
        var customers = new List<DemoCustomer>(customerCount);
        var byChannel = DemoCatalog.Channels.ToDictionary(c => c, _ => new List<int>());
        for (int i = 0; i < customerCount; i++)
        {
            string lang = DemoRandom.Weighted(r, spec.Languages);
            var texts = DemoTexts.ByLanguage[lang];
            string first = DemoPii.Pick(r, texts.FirstNames), last = DemoPii.Pick(r, texts.LastNames);
            string country = (spec.Country, lang) switch { ("DE", "fr") => "FR", ("DE", "es") => "ES", _ => spec.Country };

            // The first eight customers cover one channel each, so even tiny scales have every channel.
            var channels = new List<string> { i < 8 ? DemoCatalog.Channels[i] : DemoRandom.Weighted(r, spec.Channels) };
            int wanted = DemoRandom.Weighted(r, [(1, 0.45), (2, 0.35), (3, 0.2)]);
            for (int tries = 0; channels.Count < wanted && tries < 10; tries++)
            {
                string c = DemoRandom.Weighted(r, spec.Channels);
                if (!channels.Contains(c)) channels.Add(c);
            }
            var endpoints = new DemoEndpoint[channels.Count];
            for (int e = 0; e < channels.Count; e++)
            {
                endpoints[e] = new DemoEndpoint(DemoIds.Of(spec.Id, DemoIds.Endpoint, i * 3L + e + 1), channels[e], Address(r, channels[e], first, last, country));
                byChannel[channels[e]].Add(i);
            }
            customers.Add(new DemoCustomer
            {
                Id = DemoIds.Of(spec.Id, DemoIds.Customer, i + 1),
                Index = i,
                Name = r.NextDouble() < 0.1 ? null : $"{first} {last}", // name is optional in the format
                FirstName = first,
                Language = lang,
                Country = country,
                Endpoints = endpoints,
            });
        }

        return new DemoProvider
        {
            Spec = spec,
            Index = index,
            Tz = tz,
            Agents = agents,
            QueueIds = [.. Enumerable.Range(1, spec.Queues.Length).Select(n => DemoIds.Of(spec.Id, DemoIds.Queue, n))],
            BotIds = [.. Enumerable.Range(1, spec.Bots.Length).Select(n => DemoIds.Of(spec.Id, DemoIds.Bot, n))],
            Customers = customers,
            ByChannel = byChannel,
            Shifts = new DemoShifts(seed, spec.Id, tz, agents),
        };
    }

    /// <summary>The customer's address as each channel knows it.</summary>
    private static string Address(Random r, string channel, string first, string last, string country) => channel switch
    {
        "sms" or "whatsapp" or "voice" => DemoPii.E164(r, country),
        "email" or "video" => DemoPii.Email(r, first, last),
        "facebook" => "psid:" + DemoPii.Digits(r, 16),
        "apple" => "urn:mbid:" + Convert.ToHexString(BitConverter.GetBytes(r.NextInt64())) + Convert.ToHexString(BitConverter.GetBytes(r.NextInt64())),
        _ => "visitor-" + Convert.ToHexString(BitConverter.GetBytes(r.NextInt64())).ToLowerInvariant(),
    };

    /// <summary>A customer who has an endpoint on the channel and is already "known" on that day.
    /// Older customers are picked more often (regulars); -1 if none qualifies.</summary>
    public int PickCustomer(Random r, string channel, int activeCount)
    {
        var list = ByChannel[channel];
        int n = list.BinarySearch(activeCount);
        n = n < 0 ? ~n : n;
        if (n == 0) return -1;
        return list[(int)(n * Math.Pow(r.NextDouble(), 1.6))];
    }
}
