namespace KoopidDashboard.Features.Seed;

/// <summary>A queue of a demo provider. Null service level = rely on the ingest default (60 s).</summary>
internal sealed record QueueSpec(string Name, int? ServiceLevelSeconds, string[] Intents, double BaseWaitSeconds, bool EmailOnly = false);

internal sealed record BotSpec(string Name, string[] Channels);

/// <summary>
/// The fixed shape of one demo tenant. Volumes are per weekday at Scale 1; the four tenants are picked
/// to exercise time-zone handling: DST (New York, Berlin, Sydney), a half-hour offset (Kolkata) and
/// a southern-hemisphere DST calendar (Sydney switches in the opposite direction to Berlin).
/// </summary>
internal sealed record ProviderSpec(
    long Id, string Name, string TimeZone, string Country, string BrandDomain,
    double DailyInteractions, int Agents, int Customers,
    (string Lang, double Weight)[] Languages,
    (string Channel, double Weight)[] Channels,
    QueueSpec[] Queues, BotSpec[] Bots);

internal static class DemoCatalog
{
    public static readonly string[] Channels = ["webchat", "sms", "whatsapp", "facebook", "apple", "email", "voice", "video"];

    /// <summary>WhatsApp and Apple Messages are chats; Facebook Messenger is counted as social.</summary>
    public static string InteractionType(string channel) => channel switch
    {
        "webchat" or "whatsapp" or "apple" => "chat",
        "facebook" => "social",
        _ => channel, // sms, email, voice, video share their names with the type
    };

    private static readonly string[] AllIntents = DemoTexts.Intents;

    public static readonly ProviderSpec[] Providers =
    [
        new(1001, "Acme Telecom US", "America/New_York", "US", "acme-telecom.com", 420, 36, 2200,
            [("en", 0.78), ("es", 0.22)],
            [("webchat", 0.24), ("voice", 0.24), ("sms", 0.12), ("email", 0.11), ("whatsapp", 0.08), ("facebook", 0.08), ("apple", 0.08), ("video", 0.05)],
            [
                new("General Support", null, AllIntents, 45),
                new("Billing", 30, ["billing", "cancel"], 40),
                new("Tech Support", 120, ["tech_support", "password_reset"], 70),
                new("Sales", 20, ["sales"], 25),
                new("Retention", 45, ["cancel"], 35),
                new("Email Desk", 14400, AllIntents, 0, EmailOnly: true),
            ],
            [new("Aria", ["webchat", "apple", "whatsapp", "facebook"]), new("TextBot", ["sms"]), new("Acme IVR", ["voice"])]),
        new(1002, "Bharat Retail", "Asia/Kolkata", "IN", "bharat-retail.in", 300, 28, 1600,
            [("en", 1.0)],
            [("whatsapp", 0.34), ("webchat", 0.2), ("voice", 0.2), ("email", 0.1), ("sms", 0.08), ("facebook", 0.04), ("apple", 0.02), ("video", 0.02)],
            [
                new("Customer Care", null, AllIntents, 60),
                new("Orders & Returns", 90, ["order_status", "cancel", "billing"], 80),
                new("Email Support", 86400, AllIntents, 0, EmailOnly: true),
            ],
            [new("Bharat Sahayak", ["webchat", "whatsapp", "facebook", "apple", "sms"]), new("Voice Assist", ["voice"])]),
        new(1003, "Nordwind Versicherung", "Europe/Berlin", "DE", "nordwind-versicherung.de", 260, 24, 1300,
            [("de", 0.6), ("en", 0.15), ("fr", 0.15), ("es", 0.1)],
            [("webchat", 0.3), ("email", 0.2), ("voice", 0.2), ("whatsapp", 0.14), ("facebook", 0.05), ("apple", 0.04), ("sms", 0.04), ("video", 0.03)],
            [
                new("Kundenservice", null, AllIntents, 50),
                new("Schaden & Leistung", 60, ["tech_support", "order_status"], 90),
                new("Vertrag", 180, ["cancel", "sales", "billing"], 60),
                new("Service International", 120, AllIntents, 75),
                new("E-Mail", 28800, AllIntents, 0, EmailOnly: true),
            ],
            [new("Nora", ["webchat", "whatsapp", "facebook", "apple", "sms"]), new("Sprachportal", ["voice"])]),
        new(1004, "Southern Cross Energy", "Australia/Sydney", "AU", "southerncross.energy", 190, 14, 900,
            [("en", 0.9), ("es", 0.05), ("fr", 0.05)],
            [("webchat", 0.26), ("voice", 0.26), ("sms", 0.14), ("apple", 0.1), ("email", 0.1), ("facebook", 0.08), ("whatsapp", 0.04), ("video", 0.02)],
            [
                new("Accounts", null, ["billing", "cancel", "password_reset"], 40),
                new("Faults", 30, ["tech_support", "order_status"], 55),
                new("Sales", 20, ["sales"], 30),
            ],
            [new("Sunny", ["webchat", "apple", "facebook", "whatsapp", "sms"]), new("Phone Assistant", ["voice"])]),
    ];

    /// <summary>Local-hour weights: quiet nights, a morning ramp, a lunch dip, a long evening tail.</summary>
    public static readonly double[] HourCurve = Normalize(
    [
        0.15, 0.10, 0.08, 0.07, 0.08, 0.15, 0.35, 0.70, 1.20, 1.60, 1.80, 1.80,
        1.40, 1.60, 1.70, 1.60, 1.50, 1.20, 0.90, 0.80, 0.70, 0.55, 0.40, 0.25,
    ]);

    /// <summary>Indexed by DayOfWeek (Sunday = 0): Mondays are busiest, weekends quiet.</summary>
    public static readonly double[] WeekdayFactor = [0.45, 1.12, 1.05, 1.0, 1.0, 0.95, 0.55];

    private static double[] Normalize(double[] w)
    {
        double sum = w.Sum();
        return w.Select(x => x / sum).ToArray();
    }
}

internal sealed class DemoAgent
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public required int[] Queues { get; init; }
    public required ShiftKind Shift { get; init; }
    /// <summary>Two consecutive days off, as DayOfWeek of the first one.</summary>
    public required DayOfWeek FirstDayOff { get; init; }
}

internal sealed record ShiftKind(string Name, TimeSpan Start, TimeSpan Length);

internal sealed record DemoEndpoint(long Id, string Channel, string Address);

internal sealed class DemoCustomer
{
    public required long Id { get; init; }
    public required int Index { get; init; }
    public required string? Name { get; init; }
    public required string FirstName { get; init; }
    public required string Language { get; init; }
    public required string Country { get; init; }
    public required DemoEndpoint[] Endpoints { get; init; }
}

/// <summary>Ids are provider * 10^10 + type * 10^8 + n: unique per provider and type, and also distinct
/// across types so that a join on the wrong id column finds nothing instead of something plausible.</summary>
internal static class DemoIds
{
    public const int Agent = 1, Queue = 2, Bot = 3, Customer = 4, Endpoint = 5, Interaction = 6, Message = 7, AgentSession = 8, BotSession = 9;
    public static long Of(long providerId, int type, long n) => providerId * 10_000_000_000L + type * 100_000_000L + n;
}

internal static class DemoRandom
{
    /// <summary>Stable seed derivation (SplitMix64). HashCode.Combine is randomized per process, so unusable here.</summary>
    public static int Derive(int seed, long a, long b)
    {
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a * 0xBF58476D1CE4E5B9UL ^ (ulong)b * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    public static T Weighted<T>(Random r, (T Item, double Weight)[] items)
    {
        double total = 0;
        foreach (var i in items) total += i.Weight;
        double x = r.NextDouble() * total;
        foreach (var i in items)
        {
            x -= i.Weight;
            if (x < 0) return i.Item;
        }
        return items[^1].Item;
    }

    /// <summary>Exponential sample with the given mean (waits, patience).</summary>
    public static double Exp(Random r, double mean) => -mean * Math.Log(1 - r.NextDouble());

    /// <summary>Log-normal sample around a median; spread 0.5 gives a realistic long right tail.</summary>
    public static double LogNormal(Random r, double median, double spread = 0.5)
    {
        double u1 = 1 - r.NextDouble(), u2 = r.NextDouble();
        double n = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(spread * n);
    }

    /// <summary>Rounds an expected count up or down at random so small scales keep the right mean.</summary>
    public static int StochasticRound(Random r, double expected)
    {
        int n = (int)Math.Floor(expected);
        return n + (r.NextDouble() < expected - n ? 1 : 0);
    }
}
