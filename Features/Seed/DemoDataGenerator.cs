namespace KoopidDashboard.Features.Seed;

/// <param name="Seed">Same seed + same <paramref name="Now"/> → byte-identical output.</param>
/// <param name="Days">Days of traffic ending at <paramref name="Now"/>.</param>
/// <param name="Now">End of the data; default today's UTC midnight, so output is stable within a day.</param>
/// <param name="Scale">Multiplies traffic and customer counts (agents, queues and bots stay as they are).</param>
public sealed record DemoOptions(int Seed = 20261125, int Days = 90, DateTimeOffset? Now = null, double Scale = 1.0);

/// <summary>
/// Deterministic demo data for <c>seed --demo</c>: NDJSON lines in the ingest format (docs/ingest.md),
/// streamed in an order the pipeline can store — providers, master data, then per day and provider the
/// interactions, their messages, agent sessions and bot sessions. Each (provider, day) draws from its own
/// seeded <see cref="Random"/>, so one day's traffic never depends on how much was generated before it.
/// </summary>
public static class DemoDataGenerator
{
    public static IReadOnlyList<(long ProviderId, string Name, string TimeZone)> Providers { get; } =
        [.. DemoCatalog.Providers.Select(p => (p.Id, p.Name, p.TimeZone))];

    public static IEnumerable<string> Generate(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1, nameof(options.Days));
        if (!(options.Scale > 0 && options.Scale <= 100)) throw new ArgumentOutOfRangeException(nameof(options), "Scale must be in (0, 100].");
        return Run(options); // validate eagerly, generate lazily
    }

    private static IEnumerable<string> Run(DemoOptions o)
    {
        long now = (o.Now ?? new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero)).ToUnixTimeSeconds();
        long start = now - o.Days * 86400L;
        var providers = DemoCatalog.Providers.Select((s, i) => DemoProvider.Build(s, i, o.Seed, o.Scale)).ToArray();
        using var w = new DemoJsonLine();

        foreach (var p in providers)
            yield return w.Begin("provider", p).Str("name", p.Spec.Name).Str("timeZone", p.Spec.TimeZone).End();
        foreach (var p in providers)
            foreach (var line in MasterData(w, p)) yield return line;

        for (int day = 0; day < o.Days; day++)
        {
            long dayStart = start + day * 86400L, dayEnd = Math.Min(dayStart + 86400L, now);
            foreach (var p in providers)
            {
                var r = new Random(DemoRandom.Derive(o.Seed, p.Spec.Id, dayStart));
                var interactions = Traffic(p, r, o, day, dayStart, dayEnd, now);
                foreach (var it in interactions) yield return Interaction(w, p, it);
                foreach (var it in interactions)
                    foreach (var m in it.Messages)
                    {
                        w.Begin("message", p).Id("messageId", DemoIds.Of(p.Spec.Id, DemoIds.Message, ++p.NextMessage))
                            .Id("interactionId", it.Id).UtcTime("sentAt", m.SentAt).Str("senderType", m.SenderType);
                        if (m.SenderId is long sender) w.Id("senderId", sender);
                        yield return w.Str("text", m.Text).End();
                    }
                // The first day also carries the sessions that logged in before the range and were still running.
                foreach (var s in p.Shifts.LoginsBetween(day == 0 ? dayStart - 86400 : dayStart, dayEnd))
                {
                    if (s.LogoutAt <= start) continue;
                    w.Begin("agentSession", p).Id("sessionId", DemoIds.Of(p.Spec.Id, DemoIds.AgentSession, ++p.NextAgentSession))
                        .Id("agentId", p.Agents[s.AgentIndex].Id).Time("loginAt", s.LoginAt);
                    if (s.LogoutAt <= now) w.Time("logoutAt", s.LogoutAt);
                    yield return w.End();
                }
                foreach (var it in interactions)
                {
                    if (it.BotSession is not { } b) continue;
                    w.Begin("botSession", p).Id("botSessionId", DemoIds.Of(p.Spec.Id, DemoIds.BotSession, ++p.NextBotSession))
                        .Id("botId", p.BotIds[b.BotIndex]).Time("startedAt", b.StartedAt).Id("interactionId", it.Id);
                    if (it.Customer is { } c) w.Id("customerId", c.Id);
                    if (b.EndedAt is long end) w.Time("endedAt", end);
                    if (b.Outcome is { } outcome) w.Str("outcome", outcome);
                    yield return w.Int("turns", b.Turns).End();
                }
            }
        }
    }

    private static IEnumerable<string> MasterData(DemoJsonLine w, DemoProvider p)
    {
        foreach (var a in p.Agents)
            yield return w.Begin("agent", p).Id("agentId", a.Id).Str("name", a.Name).End();
        for (int i = 0; i < p.QueueIds.Length; i++)
        {
            var q = p.Spec.Queues[i];
            w.Begin("queue", p).Id("queueId", p.QueueIds[i]).Str("name", q.Name);
            if (q.ServiceLevelSeconds is int sl) w.Int("serviceLevelSeconds", sl); // absent = default 60
            yield return w.End();
        }
        for (int i = 0; i < p.BotIds.Length; i++)
            yield return w.Begin("bot", p).Id("botId", p.BotIds[i]).Str("name", p.Spec.Bots[i].Name).End();
        foreach (var c in p.Customers)
        {
            w.Begin("customer", p).Id("customerId", c.Id);
            if (c.Name is { } name) w.Str("name", name);
            yield return w.End();
        }
        foreach (var c in p.Customers)
            foreach (var e in c.Endpoints)
                yield return w.Begin("endpoint", p).Id("endpointId", e.Id).Id("customerId", c.Id)
                    .Str("channel", e.Channel).Str("address", e.Address).End();
    }

    /// <summary>
    /// One provider's interactions for one UTC day. Volume per UTC hour follows the provider's local
    /// hour and weekday, so DST shifts and half-hour offsets move the peaks the way they really would.
    /// </summary>
    private static List<SimInteraction> Traffic(DemoProvider p, Random r, DemoOptions o, int day, long dayStart, long dayEnd, long now)
    {
        var result = new List<SimInteraction>();
        double dayNoise = 0.85 + r.NextDouble() * 0.3;
        double trend = 0.9 + 0.2 * day / Math.Max(1, o.Days - 1); // the business grows a little over the quarter
        // One outage day per tenant, ten days back (if the range reaches that far): a tech-support spike.
        bool incident = day == o.Days - 10 - p.Index;
        double incidentBoost = incident ? 1.6 : 1.0;
        int activeCustomers = (int)Math.Ceiling(p.Customers.Count * (0.35 + 0.65 * (day + 1) / o.Days));
        var starts = new List<long>();
        for (long slot = dayStart; slot < dayEnd; slot += 3600)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(slot + 1800), p.Tz);
            double weekday = DemoCatalog.WeekdayFactor[(int)local.DayOfWeek];
            double hourWeight = DemoCatalog.HourCurve[local.Hour];
            long slotLength = Math.Min(3600, dayEnd - slot);
            double expected = p.Spec.DailyInteractions * o.Scale * hourWeight * weekday * dayNoise * trend * incidentBoost * slotLength / 3600.0;
            double load = hourWeight * 24 * weekday * dayNoise * incidentBoost; // ≈1 on an average hour
            starts.Clear();
            for (int n = DemoRandom.StochasticRound(r, expected); n > 0; n--) starts.Add(slot + r.NextInt64(slotLength));
            starts.Sort();
            foreach (long s in starts)
                result.Add(DemoConversation.Simulate(p, r, s, now, load, activeCustomers, incident));
        }
        return result;
    }

    private static string Interaction(DemoJsonLine w, DemoProvider p, SimInteraction it)
    {
        w.Begin("interaction", p).Id("interactionId", it.Id).Str("channel", it.Channel).Str("interactionType", it.Type)
            .Time("startedAt", it.StartedAt);
        if (it.Customer is { } c) w.Id("customerId", c.Id);
        if (it.EndedAt is long ended) w.Time("endedAt", ended);
        if (it.Queue >= 0) w.Id("queueId", p.QueueIds[it.Queue]);
        if (it.QueuedAt is long queued) w.Time("queuedAt", queued);
        if (it.AnsweredAt is long answered) w.Time("answeredAt", answered);
        if (it.AbandonedAt is long abandoned) w.Time("abandonedAt", abandoned);
        if (it.Agent >= 0) w.Id("agentId", p.Agents[it.Agent].Id);
        if (it.Bot >= 0) w.Id("botId", p.BotIds[it.Bot]);
        if (it.Outcome is { } outcome) w.Str("outcome", outcome);
        if (it.Intent is { } intent) w.Str("intent", intent);
        if (it.Topic is { } topic) w.Str("topic", topic);
        if (it.Sentiment is double sentiment) w.Num("sentiment", sentiment);
        if (it.Csat is int csat) w.Int("csat", csat);
        return w.End();
    }
}
