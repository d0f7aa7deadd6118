using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using KoopidDashboard.Features.Seed;

namespace KoopidDashboard.Tests.Features.Seed;

public sealed class DemoDataGeneratorTests
{
    // Pinned so the assertions do not depend on the day the tests run; the range spans no DST change.
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 0, 0, 0, TimeSpan.Zero);
    private static readonly DemoOptions Small = new(Days: 3, Now: Now, Scale: 0.01);
    // Enough traffic for PII of every kind to show up, still well under a second.
    private static readonly DemoOptions Medium = new(Days: 7, Now: Now, Scale: 0.1);

    private static readonly Lazy<List<string>> SmallLines = new(() => DemoDataGenerator.Generate(Small).ToList());
    private static readonly Lazy<List<JsonElement>> SmallEvents = new(() => Parse(SmallLines.Value));
    private static readonly Lazy<List<JsonElement>> MediumEvents = new(() => Parse(DemoDataGenerator.Generate(Medium)));

    private static readonly string[] Channels = ["webchat", "sms", "whatsapp", "facebook", "apple", "email", "voice", "video"];
    private static readonly string[] InteractionTypes = ["chat", "voice", "video", "email", "sms", "social"];
    private static readonly string[] SenderTypes = ["customer", "agent", "bot", "system"];
    private static readonly string[] BotOutcomes = ["contained", "escalated", "abandoned"];

    // docs/ingest.md: required fields besides type and providerId.
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["provider"] = ["name", "timeZone"],
        ["agent"] = ["agentId", "name"],
        ["queue"] = ["queueId", "name"],
        ["bot"] = ["botId", "name"],
        ["customer"] = ["customerId"],
        ["endpoint"] = ["endpointId", "customerId", "channel", "address"],
        ["interaction"] = ["interactionId", "channel", "interactionType", "startedAt"],
        ["message"] = ["messageId", "interactionId", "sentAt", "senderType", "text"],
        ["agentSession"] = ["sessionId", "agentId", "loginAt"],
        ["botSession"] = ["botSessionId", "botId", "startedAt"],
    };

    private static readonly Regex Rfc3339 = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.Compiled);

    private static List<JsonElement> Parse(IEnumerable<string> lines) =>
        lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private static IEnumerable<JsonElement> OfType(IEnumerable<JsonElement> events, string type) =>
        events.Where(e => e.GetProperty("type").GetString() == type);

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out _);

    [Fact]
    public void Same_seed_and_now_give_identical_output_and_another_seed_does_not()
    {
        var again = DemoDataGenerator.Generate(Small).ToList();
        Assert.Equal(SmallLines.Value, again);
        var other = DemoDataGenerator.Generate(Small with { Seed = 7 }).ToList();
        Assert.NotEqual(SmallLines.Value, other);
    }

    [Fact]
    public void Every_line_is_a_single_json_object_with_type_and_a_known_provider()
    {
        var providerIds = DemoDataGenerator.Providers.Select(p => p.ProviderId).ToHashSet();
        Assert.All(SmallLines.Value, l => Assert.DoesNotContain('\n', l));
        Assert.All(SmallEvents.Value, e =>
        {
            Assert.Equal(JsonValueKind.Object, e.ValueKind);
            Assert.True(Required.ContainsKey(e.GetProperty("type").GetString()!));
            Assert.Contains(e.GetProperty("providerId").GetInt64(), providerIds);
        });
    }

    [Fact]
    public void Every_required_field_is_present_with_the_right_kind()
    {
        foreach (var e in MediumEvents.Value)
        {
            foreach (var field in Required[e.GetProperty("type").GetString()!])
            {
                Assert.True(e.TryGetProperty(field, out var v), $"{field} missing in {e}");
                if (field.EndsWith("Id", StringComparison.Ordinal)) Assert.True(v.TryGetInt64(out _), $"{field} is not a long in {e}");
                else Assert.Equal(JsonValueKind.String, v.ValueKind);
            }
        }
    }

    [Fact]
    public void Enumerations_hold_and_every_channel_and_interaction_type_appears()
    {
        var interactions = OfType(SmallEvents.Value, "interaction").ToList();
        Assert.Equal(Channels.Order(), interactions.Select(i => i.GetProperty("channel").GetString()!).Distinct().Order());
        Assert.Equal(InteractionTypes.Order(), interactions.Select(i => i.GetProperty("interactionType").GetString()!).Distinct().Order());
        Assert.Equal(Channels.Order(), OfType(SmallEvents.Value, "endpoint").Select(e => e.GetProperty("channel").GetString()!).Distinct().Order());
        Assert.All(OfType(SmallEvents.Value, "message"), m => Assert.Contains(m.GetProperty("senderType").GetString(), SenderTypes));
        Assert.All(OfType(MediumEvents.Value, "botSession").Where(b => Has(b, "outcome")),
            b => Assert.Contains(b.GetProperty("outcome").GetString(), BotOutcomes));
        var senders = OfType(MediumEvents.Value, "message").Select(m => m.GetProperty("senderType").GetString()).ToHashSet();
        Assert.Equal(SenderTypes.Order(), senders.Order());
    }

    [Fact]
    public void Timestamps_are_rfc3339_with_offset_and_not_after_now()
    {
        int seen = 0;
        foreach (var e in MediumEvents.Value)
            foreach (var p in e.EnumerateObject().Where(p => p.Name.EndsWith("At", StringComparison.Ordinal)))
            {
                string s = p.Value.GetString()!;
                Assert.Matches(Rfc3339, s);
                Assert.True(DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) <= Now, $"{p.Name} {s} is after now");
                seen++;
            }
        Assert.True(seen > 1000);
    }

    [Fact]
    public void Providers_cover_dst_half_hour_offset_and_europe()
    {
        var zones = DemoDataGenerator.Providers.ToDictionary(p => p.ProviderId, p => p.TimeZone);
        Assert.True(zones.Count >= 4);
        Assert.Equal("America/New_York", zones[1001]);
        Assert.Equal("Asia/Kolkata", zones[1002]);
        Assert.Equal("Europe/Berlin", zones[1003]);
        Assert.True(TimeZoneInfo.FindSystemTimeZoneById(zones[1001]).SupportsDaylightSavingTime);
        Assert.Contains(OfType(SmallEvents.Value, "interaction"), i => i.GetProperty("startedAt").GetString()!.EndsWith("+05:30", StringComparison.Ordinal));
    }

    [Fact]
    public void A_range_across_the_us_dst_change_shows_both_new_york_offsets()
    {
        // US DST 2026 starts on 8 March.
        var events = Parse(DemoDataGenerator.Generate(new DemoOptions(Days: 4, Now: new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero), Scale: 0.05)));
        var offsets = OfType(events, "interaction").Where(i => i.GetProperty("providerId").GetInt64() == 1001)
            .Select(i => i.GetProperty("startedAt").GetString()![^6..]).ToHashSet();
        Assert.Contains("-05:00", offsets);
        Assert.Contains("-04:00", offsets);
    }

    [Fact]
    public void References_point_to_entities_emitted_earlier()
    {
        var seen = new HashSet<(long, string, long)>();
        void Define(JsonElement e, string kind, string field) => seen.Add((e.GetProperty("providerId").GetInt64(), kind, e.GetProperty(field).GetInt64()));
        void Check(JsonElement e, string kind, string field)
        {
            if (e.TryGetProperty(field, out var v))
                Assert.True(seen.Contains((e.GetProperty("providerId").GetInt64(), kind, v.GetInt64())), $"{field} {v} unknown at {e}");
        }
        var providers = new HashSet<long>();
        foreach (var e in MediumEvents.Value)
        {
            string type = e.GetProperty("type").GetString()!;
            if (type == "provider") { providers.Add(e.GetProperty("providerId").GetInt64()); continue; }
            Assert.Contains(e.GetProperty("providerId").GetInt64(), providers);
            switch (type)
            {
                case "agent": Define(e, "agent", "agentId"); break;
                case "queue": Define(e, "queue", "queueId"); break;
                case "bot": Define(e, "bot", "botId"); break;
                case "customer": Define(e, "customer", "customerId"); break;
                case "endpoint": Check(e, "customer", "customerId"); break;
                case "interaction":
                    Check(e, "customer", "customerId"); Check(e, "queue", "queueId"); Check(e, "agent", "agentId"); Check(e, "bot", "botId");
                    Assert.True(seen.Add((e.GetProperty("providerId").GetInt64(), "interaction", e.GetProperty("interactionId").GetInt64())), "duplicate interaction id");
                    break;
                case "message":
                    Check(e, "interaction", "interactionId");
                    Check(e, e.GetProperty("senderType").GetString()!, "senderId"); // agent, bot or customer; system has none
                    if (e.GetProperty("senderType").GetString() is "agent" or "bot") Assert.True(Has(e, "senderId"));
                    if (e.GetProperty("senderType").GetString() is "system") Assert.False(Has(e, "senderId"));
                    break;
                case "agentSession": Check(e, "agent", "agentId"); break;
                case "botSession": Check(e, "bot", "botId"); Check(e, "interaction", "interactionId"); Check(e, "customer", "customerId"); break;
            }
        }
    }

    [Fact]
    public void Ids_are_unique_per_provider_and_type()
    {
        var idField = new Dictionary<string, string>
        {
            ["agent"] = "agentId", ["queue"] = "queueId", ["bot"] = "botId", ["customer"] = "customerId", ["endpoint"] = "endpointId",
            ["interaction"] = "interactionId", ["message"] = "messageId", ["agentSession"] = "sessionId", ["botSession"] = "botSessionId",
        };
        var keys = MediumEvents.Value.Where(e => idField.ContainsKey(e.GetProperty("type").GetString()!))
            .Select(e => (e.GetProperty("providerId").GetInt64(), e.GetProperty("type").GetString(), e.GetProperty(idField[e.GetProperty("type").GetString()!]).GetInt64()))
            .ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void Interactions_are_internally_consistent_and_answered_by_a_logged_in_agent()
    {
        var events = MediumEvents.Value;
        var sessions = OfType(events, "agentSession").ToLookup(s => s.GetProperty("agentId").GetInt64());
        var messages = OfType(events, "message").ToLookup(m => m.GetProperty("interactionId").GetInt64());
        foreach (var i in OfType(events, "interaction"))
        {
            var started = Time(i, "startedAt");
            var end = Has(i, "endedAt") ? Time(i, "endedAt") : Now;
            Assert.True(end >= started);
            if (Has(i, "queuedAt")) { Assert.True(Time(i, "queuedAt") >= started); Assert.True(Has(i, "queueId")); }
            if (Has(i, "answeredAt"))
            {
                var answered = Time(i, "answeredAt");
                Assert.True(answered >= Time(i, "queuedAt") && answered <= end);
                Assert.False(Has(i, "abandonedAt"));
                long agent = i.GetProperty("agentId").GetInt64();
                Assert.Contains(sessions[agent], s => Time(s, "loginAt") <= answered && (!Has(s, "logoutAt") || Time(s, "logoutAt") > answered));
            }
            if (Has(i, "abandonedAt")) Assert.True(Time(i, "abandonedAt") >= Time(i, "queuedAt"));
            if (Has(i, "sentiment")) Assert.InRange(i.GetProperty("sentiment").GetDouble(), -1, 1);
            if (Has(i, "csat")) Assert.InRange(i.GetProperty("csat").GetInt32(), 1, 5);
            foreach (var m in messages[i.GetProperty("interactionId").GetInt64()])
                Assert.InRange(Time(m, "sentAt"), started, end);
        }
        var all = OfType(events, "interaction").ToList();
        Assert.Contains(all, i => Has(i, "answeredAt"));
        Assert.Contains(all, i => Has(i, "abandonedAt"));
        Assert.Contains(all, i => Has(i, "botId") && !Has(i, "queuedAt")); // bot-only
        Assert.Contains(all, i => Has(i, "csat"));
        Assert.Contains(all, i => Has(i, "intent") && Has(i, "topic"));
    }

    [Fact]
    public void Agent_sessions_include_open_ones_at_now_and_one_crossing_local_midnight()
    {
        var sessions = OfType(SmallEvents.Value, "agentSession").ToList();
        Assert.Contains(sessions, s => !Has(s, "logoutAt"));
        // Timestamps carry the provider's local offset, so the wall-clock date is the local date.
        Assert.Contains(sessions, s => Has(s, "logoutAt")
            && s.GetProperty("loginAt").GetString()![..10] != s.GetProperty("logoutAt").GetString()![..10]);
    }

    [Fact]
    public void Customer_texts_carry_valid_pii_and_look_alikes()
    {
        var texts = OfType(MediumEvents.Value, "message").Where(m => m.GetProperty("senderType").GetString() == "customer")
            .Select(m => m.GetProperty("text").GetString()!).ToList();
        var numbers = texts.SelectMany(t => Regex.Matches(t, @"(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])").Select(m => Digits(m.Value))).ToList();
        Assert.Contains(numbers, Luhn);                              // real-looking cards
        Assert.Contains(numbers, n => n.Length == 16 && !Luhn(n));  // 16-digit references that are not cards
        var ibans = texts.SelectMany(t => Regex.Matches(t, @"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b").Select(m => m.Value.Replace(" ", ""))).ToList();
        Assert.NotEmpty(ibans);
        Assert.All(ibans, i => Assert.True(Mod97(i), $"IBAN {i} fails mod-97"));
        var ssns = texts.SelectMany(t => Regex.Matches(t, @"\b(\d{3})[- ](\d{2})[- ](\d{4})\b").Select(m => m.Groups)).ToList();
        Assert.NotEmpty(ssns);
        Assert.All(ssns, g => Assert.True(g[1].Value is not ("000" or "666") && g[1].Value[0] != '9' && g[2].Value != "00" && g[3].Value != "0000"));
        Assert.Contains(texts, t => Regex.IsMatch(t, @"[\w.]+@[\w-]+\.\w+"));
        Assert.Contains(texts, t => Regex.IsMatch(t, @"\+\d{1,2}[ -]\d"));             // international phone
        Assert.Contains(texts, t => Regex.IsMatch(t, @"https?://|www\."));
        Assert.Contains(texts, t => Regex.IsMatch(t, @"\b\d{1,3}(\.\d{1,3}){3}\b|\b2001:db8:"));
        Assert.Contains(texts, t => Regex.IsMatch(t, @"#\d{7}|ORD-\d{4}-\d{6}"));       // order numbers
        Assert.Contains(texts, t => t.Any(char.IsSurrogate));                         // emoji
        Assert.Contains(texts, t => t.Contains('ñ') || t.Contains('¿') || t.Contains('ü'));
    }

    [Fact]
    public void Counts_at_tiny_scale_are_in_the_expected_range()
    {
        var counts = SmallEvents.Value.GroupBy(e => e.GetProperty("type").GetString()!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(DemoDataGenerator.Providers.Count, counts["provider"]);
        Assert.InRange(counts["agent"], 4 * 10, 4 * 40);
        Assert.InRange(counts["queue"], 4 * 3, 4 * 6);
        Assert.InRange(counts["bot"], 4 * 2, 4 * 3);
        Assert.InRange(counts["customer"], 100, 200);
        Assert.InRange(counts["endpoint"], counts["customer"], 3 * counts["customer"]);
        Assert.InRange(counts["interaction"], 15, 120);
        Assert.InRange(counts["message"], 3 * counts["interaction"], 15 * counts["interaction"]);
        Assert.InRange(counts["agentSession"], 100, 600); // rosters are not scaled
        Assert.InRange(counts["botSession"], 1, counts["interaction"]);
    }

    [Fact]
    public void Output_streams_without_generating_everything_first()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var first = DemoDataGenerator.Generate(new DemoOptions(Now: Now)).Take(5).ToList();
        Assert.Equal(5, first.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Bad_options_are_rejected_eagerly()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoDataGenerator.Generate(new DemoOptions(Days: 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoDataGenerator.Generate(new DemoOptions(Scale: 0)));
    }

    private static string Digits(string s) => new(s.Where(char.IsAsciiDigit).ToArray());

    private static bool Luhn(string digits)
    {
        int sum = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            int d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static bool Mod97(string iban)
    {
        string moved = iban[4..] + iban[..4];
        string numeric = string.Concat(moved.Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(CultureInfo.InvariantCulture) : c.ToString()));
        return BigInteger.Parse(numeric, CultureInfo.InvariantCulture) % 97 == 1;
    }
}
