using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Koopid.Bench;

/// <summary>
/// The large bench data set as NDJSON in the ingest format (docs/ingest.md), streamed to a file or stdout.
/// Shape: <c>--providers</c> tenants (default 50) over <c>--days</c> (default 400) ending at <c>--end</c>; the first tenant
/// (id provider-base + 1, America/New_York) holds a fifth of all traffic, the others share the rest equally.
/// The data comes in <b>layers</b> of <c>--layer-messages</c> messages (default 1 000 000) and a tenth as many interactions,
/// each spread over all tenants and all days with ids of its own, so a database grows 1 M → 5 M → 10 M by loading
/// layers 0, 1–4, 5–9 and every size has the same shape. Layer 0 also carries the master data (providers, agents,
/// queues, bots, customers, endpoints) and the agent sessions. Deterministic: same options, same bytes.
/// Ideas from Features/Seed (hour curve, weekday factor, log-normal handle times), kept simple for speed.
/// </summary>
public static class Generator
{
    private const int Day = 86400;
    private const double BigShare = 0.2;
    private const int MessagesPerInteraction = 10; // 4..16 uniform
    private static readonly string[] Zones =
        ["Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles", "Europe/London", "Asia/Tokyo", "America/Sao_Paulo", "UTC", "Africa/Johannesburg", "America/New_York"];
    private static readonly (string Channel, string Type, double Weight)[] Channels =
    [
        ("webchat", "chat", 0.30), ("voice", "voice", 0.15), ("whatsapp", "chat", 0.15), ("sms", "sms", 0.12),
        ("email", "email", 0.08), ("facebook", "social", 0.08), ("apple", "chat", 0.07), ("video", "video", 0.05),
    ];
    private static readonly string[] Intents = ["billing", "cancel", "tech_support", "password_reset", "order_status", "sales", "complaint", "other"];
    private static readonly string[] Topics = ["invoice", "delivery", "account", "outage", "upgrade", "refund"];
    private static readonly double[] HourCurve =
    [
        0.15, 0.10, 0.08, 0.07, 0.08, 0.15, 0.35, 0.70, 1.20, 1.60, 1.80, 1.80,
        1.40, 1.60, 1.70, 1.60, 1.50, 1.20, 0.90, 0.80, 0.70, 0.55, 0.40, 0.25,
    ];
    private static readonly double[] WeekdayFactor = [0.45, 1.12, 1.05, 1.0, 1.0, 0.95, 0.55];

    public sealed record Options(int LayerFrom, int LayerTo, long LayerMessages, int Days, DateTimeOffset End, long ProviderBase, int Providers, int Seed);

    private sealed class Tenant
    {
        public required long Id;
        public required int Index;
        public required string Zone;
        public required int OffsetHours;
        public required double Share;
        public required int Agents, Queues, Bots, Customers;
        public long NextInteraction, NextMessage, NextBotSession, NextAgentSession;
    }

    public sealed class Counts
    {
        public long Lines, Messages, Interactions;
    }

    public static async Task<int> RunAsync(Args a)
    {
        var layers = a.Str("--layers", "0-0").Split('-');
        var o = new Options(int.Parse(layers[0]), int.Parse(layers[^1]) + 1, a.Long("--layer-messages", 1_000_000), a.Int("--days", 400),
            a.Date("--end", "2026-11-20"), a.Long("--provider-base", 7000), a.Int("--providers", 50), a.Int("--seed", 20261125));
        var watch = Stopwatch.StartNew();
        var path = a.Get("--out");
        await using var output = path is null ? Console.OpenStandardOutput() : File.Create(path);
        await using var buffered = new BufferedStream(output, 1 << 20);
        var counts = Write(o, buffered);
        await buffered.FlushAsync();
        Console.Error.WriteLine($"generated {counts.Lines} lines ({counts.Messages} messages, {counts.Interactions} interactions) in {watch.Elapsed.TotalSeconds:F1} s "
            + $"({counts.Lines / watch.Elapsed.TotalSeconds:F0} lines/s)");
        return 0;
    }

    public static Counts Write(Options o, Stream stream)
    {
        var counts = new Counts();
        var w = new Line(stream, counts);
        var tenants = Enumerable.Range(0, o.Providers).Select(i => new Tenant
        {
            Id = o.ProviderBase + 1 + i,
            Index = i,
            Zone = i == 0 ? "America/New_York" : Zones[i % Zones.Length],
            OffsetHours = (int)Math.Round(TimeZoneInfo.FindSystemTimeZoneById(i == 0 ? "America/New_York" : Zones[i % Zones.Length]).BaseUtcOffset.TotalHours),
            Share = o.Providers == 1 ? 1.0 : i == 0 ? BigShare : (1 - BigShare) / (o.Providers - 1),
            Agents = i == 0 ? 120 : 12,
            Queues = i == 0 ? 8 : 3,
            Bots = i == 0 ? 3 : 2,
            Customers = i == 0 ? 20_000 : 1_500,
        }).ToArray();
        var texts = new TextPool(o.Seed);
        long end = o.End.ToUnixTimeSeconds(), start = end - (long)o.Days * Day;
        double meanWeekday = WeekdayFactor.Average();

        for (var layer = o.LayerFrom; layer < o.LayerTo; layer++)
        {
            if (layer == 0)
                foreach (var t in tenants)
                    MasterData(w, t);
            foreach (var t in tenants)
            {
                t.NextInteraction = layer * 1_000_000_000L;
                t.NextMessage = layer * 10_000_000_000L;
                t.NextBotSession = layer * 1_000_000_000L;
            }
            double interactionsPerDay = (double)o.LayerMessages / MessagesPerInteraction / o.Days;
            for (var d = 0; d < o.Days; d++)
            {
                long dayStart = start + (long)d * Day;
                var weekday = WeekdayFactor[(int)DateTimeOffset.FromUnixTimeSeconds(dayStart).DayOfWeek] / meanWeekday;
                foreach (var t in tenants)
                {
                    var r = new Random(Derive(o.Seed, layer * 1000 + t.Index, dayStart));
                    if (layer == 0)
                        AgentSessions(w, t, r, dayStart, end);
                    var n = StochasticRound(r, interactionsPerDay * t.Share * weekday);
                    var starts = new long[n];
                    for (var i = 0; i < n; i++)
                        starts[i] = dayStart + PickSecond(r, t.OffsetHours);
                    Array.Sort(starts);
                    foreach (var s in starts)
                        Interaction(w, t, r, texts, s, end);
                }
            }
        }
        return counts;
    }

    private static void MasterData(Line w, Tenant t)
    {
        w.Begin("provider", t.Id).Str("name", $"Bench tenant {t.Index + 1}").Str("timeZone", t.Zone).End();
        for (var i = 1; i <= t.Agents; i++)
            w.Begin("agent", t.Id).Num("agentId", i).Str("name", $"Agent {i}").End();
        for (var i = 1; i <= t.Queues; i++)
        {
            w.Begin("queue", t.Id).Num("queueId", i).Str("name", $"Queue {i}");
            if (i % 3 == 2) w.Num("serviceLevelSeconds", 30);
            w.End();
        }
        for (var i = 1; i <= t.Bots; i++)
            w.Begin("bot", t.Id).Num("botId", i).Str("name", $"Bot {i}").End();
        for (var i = 1; i <= t.Customers; i++)
            w.Begin("customer", t.Id).Num("customerId", i).Str("name", $"Customer {i}").End();
        for (var i = 1; i <= t.Customers; i++)
        {
            var channel = Channels[i % Channels.Length].Channel;
            var address = channel is "email" or "video" ? $"customer{i}@example.com" : channel is "sms" or "whatsapp" or "voice" ? $"+1202555{i % 10000:D4}" : $"visitor-{i}";
            w.Begin("endpoint", t.Id).Num("endpointId", i).Num("customerId", i).Str("channel", channel).Str("address", address).End();
        }
    }

    /// <summary>Each agent works an 8-hour shift on five days of seven, starting between 07:00 and 15:00 local.</summary>
    private static void AgentSessions(Line w, Tenant t, Random r, long dayStart, long end)
    {
        for (var a = 1; a <= t.Agents; a++)
        {
            if ((dayStart / Day + a) % 7 < 2) continue; // two days off
            long login = dayStart + ((7 + a % 9 - t.OffsetHours + 48) % 24) * 3600L + r.Next(600);
            long logout = login + 8 * 3600 + r.Next(1200);
            if (login >= end) continue;
            w.Begin("agentSession", t.Id).Num("sessionId", ++t.NextAgentSession).Num("agentId", a).Time("loginAt", login);
            if (logout <= end) w.Time("logoutAt", logout);
            w.End();
        }
    }

    private static void Interaction(Line w, Tenant t, Random r, TextPool texts, long started, long end)
    {
        var (channel, type, _) = Weighted(r);
        long id = ++t.NextInteraction;
        long customer = 1 + r.Next(t.Customers);
        bool botEligible = channel is not ("email" or "video");
        int bot = botEligible && r.NextDouble() < 0.45 ? 1 + r.Next(t.Bots) : 0;
        long botEnd = started + (long)LogNormal(r, 90);
        bool contained = bot > 0 && r.NextDouble() < 0.55;
        long? queued = null, answered = null, abandoned = null, ended;
        int queue = 0, agent = 0;
        if (contained)
            ended = botEnd;
        else
        {
            queue = 1 + r.Next(t.Queues);
            queued = bot > 0 ? botEnd : started + 5;
            double wait = -40 * Math.Log(1 - r.NextDouble()), patience = -300 * Math.Log(1 - r.NextDouble());
            if (wait > patience)
                ended = abandoned = queued + (long)patience;
            else
            {
                answered = queued + (long)wait;
                agent = 1 + r.Next(t.Agents);
                ended = answered + (long)LogNormal(r, 360);
            }
        }
        // Still running at the data's end: no endedAt (and nothing after the end).
        if (ended > end) ended = null;
        if (answered > end) { answered = null; agent = 0; }
        if (abandoned > end) abandoned = null;

        w.Begin("interaction", t.Id).Num("interactionId", id).Str("channel", channel).Str("interactionType", type).Time("startedAt", started)
            .Num("customerId", customer);
        if (ended is { } e) w.Time("endedAt", e);
        if (queue > 0) w.Num("queueId", queue).Time("queuedAt", queued!.Value);
        if (answered is { } an) w.Time("answeredAt", an).Num("agentId", agent);
        if (abandoned is { } ab) w.Time("abandonedAt", ab);
        if (bot > 0) w.Num("botId", bot);
        if (ended is not null) w.Str("outcome", contained ? "contained" : answered is not null ? "resolved" : "abandoned");
        w.Str("intent", Intents[r.Next(Intents.Length)]).Str("topic", Topics[r.Next(Topics.Length)]);
        if (r.NextDouble() < 0.7) w.Dbl("sentiment", Math.Round(r.NextDouble() * 2 - 1, 2));
        if (ended is not null && r.NextDouble() < 0.3) w.Num("csat", 1 + r.Next(5));
        w.End();
        w.Counts.Interactions++;

        long last = ended ?? Math.Min(end, started + 900);
        int k = 4 + r.Next(13);
        for (var m = 0; m < k; m++)
        {
            long sentAt = started + (last - started) * m / k + r.Next(5);
            bool customerTurn = m % 2 == 0;
            string sender = customerTurn ? "customer" : answered is { } at && sentAt >= at ? "agent" : bot > 0 ? "bot" : "system";
            w.Begin("message", t.Id).Num("messageId", ++t.NextMessage).Num("interactionId", id).Time("sentAt", sentAt).Str("senderType", sender);
            if (sender == "agent") w.Num("senderId", agent);
            else if (sender == "bot") w.Num("senderId", bot);
            w.Str("text", customerTurn ? texts.Customer(r) : texts.Staff(r)).End();
            w.Counts.Messages++;
        }

        if (bot > 0)
        {
            w.Begin("botSession", t.Id).Num("botSessionId", ++t.NextBotSession).Num("botId", bot).Time("startedAt", started)
                .Num("interactionId", id).Num("customerId", customer);
            if (botEnd <= end) w.Time("endedAt", botEnd).Str("outcome", contained ? "contained" : "escalated");
            w.Num("turns", 1 + k / 2).End();
        }
    }

    /// <summary>A second of the UTC day following the tenant's local hour curve.</summary>
    private static long PickSecond(Random r, int offsetHours)
    {
        double x = r.NextDouble() * HourCurveTotal;
        int localHour = 0;
        while (localHour < 23 && (x -= HourCurve[localHour]) >= 0) localHour++;
        int utcHour = ((localHour - offsetHours) % 24 + 24) % 24;
        return utcHour * 3600L + r.Next(3600);
    }

    private static readonly double HourCurveTotal = HourCurve.Sum();

    private static (string Channel, string Type, double Weight) Weighted(Random r)
    {
        double x = r.NextDouble();
        foreach (var c in Channels)
            if ((x -= c.Weight) < 0) return c;
        return Channels[^1];
    }

    private static double LogNormal(Random r, double median)
    {
        double u1 = 1 - r.NextDouble(), u2 = r.NextDouble();
        return median * Math.Exp(0.5 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static int StochasticRound(Random r, double expected)
    {
        int n = (int)Math.Floor(expected);
        return n + (r.NextDouble() < expected - n ? 1 : 0);
    }

    private static int Derive(int seed, long a, long b)
    {
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a * 0xBF58476D1CE4E5B9UL ^ (ulong)b * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    /// <summary>One JSON object per line, written straight to the stream.</summary>
    private sealed class Line(Stream stream, Counts counts)
    {
        private readonly Utf8JsonWriter json = new(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        public Counts Counts { get; } = counts;

        public Line Begin(string type, long providerId)
        {
            json.Reset(stream);
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteNumber("providerId", providerId);
            return this;
        }

        public Line Str(string name, string value) { json.WriteString(name, value); return this; }
        public Line Num(string name, long value) { json.WriteNumber(name, value); return this; }
        public Line Dbl(string name, double value) { json.WriteNumber(name, value); return this; }
        public Line Time(string name, long unixSeconds) { json.WriteString(name, DateTime.UnixEpoch.AddSeconds(unixSeconds)); return this; }

        public void End()
        {
            json.WriteEndObject();
            json.Flush();
            stream.WriteByte((byte)'\n');
            Counts.Lines++;
        }
    }
}
