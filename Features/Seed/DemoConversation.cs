namespace KoopidDashboard.Features.Seed;

internal readonly record struct SimMessage(long SentAt, string SenderType, long? SenderId, string Text);

internal sealed record SimBotSession(int BotIndex, long StartedAt, long? EndedAt, string? Outcome, int Turns);

/// <summary>One simulated interaction, already cut off at "now" (unfinished parts left null).</summary>
internal sealed class SimInteraction
{
    public long Id;
    public string Channel = "", Type = "";
    public long StartedAt;
    public long? EndedAt, QueuedAt, AnsweredAt, AbandonedAt;
    public DemoCustomer? Customer;       // null: anonymous webchat guest
    public int Queue = -1, Agent = -1, Bot = -1; // indexes into the provider's lists; -1 = none
    public string? Outcome, Intent, Topic;
    public double? Sentiment;
    public int? Csat;
    public List<SimMessage> Messages = [];
    public SimBotSession? BotSession;
}

/// <summary>
/// Plays one contact through bot → queue → agent, writing the messages as it goes so that message
/// times, wait, handle and first-response times are all consistent with each other.
/// </summary>
internal sealed class DemoConversation
{
    private static readonly Dictionary<string, double> IntentMood = new()
    {
        ["billing"] = -0.2, ["order_status"] = -0.1, ["tech_support"] = -0.2, ["cancel"] = -0.4, ["sales"] = 0.3, ["password_reset"] = 0,
    };

    // How often the bot resolves an intent on its own: resets and tracking are easy, cancellations are not.
    private static readonly Dictionary<string, double> Containment = new()
    {
        ["billing"] = 0.3, ["order_status"] = 0.55, ["tech_support"] = 0.25, ["cancel"] = 0.08, ["sales"] = 0.2, ["password_reset"] = 0.6,
    };

    private readonly DemoProvider _p;
    private readonly Random _r;
    private readonly SimInteraction _it;
    private readonly LangTexts _texts;
    private readonly bool _spoken;
    private FillContext _ctx;
    private long _t;
    private double _mood;

    private DemoConversation(DemoProvider p, Random r, SimInteraction it, LangTexts texts, FillContext ctx)
    {
        (_p, _r, _it, _texts, _ctx, _t) = (p, r, it, texts, ctx, it.StartedAt);
        _spoken = it.Channel is "voice" or "video";
        _mood = IntentMood[it.Intent!] + (r.NextDouble() - 0.5) * 0.5;
    }

    /// <summary>Simulates one interaction starting at <paramref name="startedAt"/> and cuts it off at <paramref name="now"/>.</summary>
    public static SimInteraction Simulate(DemoProvider p, Random r, long startedAt, long now, double load, int activeCustomers, bool incident)
    {
        var spec = p.Spec;
        var it = new SimInteraction { Id = DemoIds.Of(spec.Id, DemoIds.Interaction, ++p.NextInteraction), StartedAt = startedAt };
        // The first interactions of each tenant rotate through all channels (offset per tenant), so even
        // Scale 0.01 over a few days shows every channel and interaction type somewhere.
        it.Channel = p.Generated < 8 ? DemoCatalog.Channels[(p.Generated + 2 * p.Index) % 8] : DemoRandom.Weighted(r, spec.Channels);
        p.Generated++;
        it.Type = DemoCatalog.InteractionType(it.Channel);
        bool anonymous = it.Channel == "webchat" && r.NextDouble() < 0.15; // guests who never log in
        int ci = anonymous ? -1 : p.PickCustomer(r, it.Channel, activeCustomers);
        it.Customer = ci >= 0 ? p.Customers[ci] : null;

        string lang = it.Customer?.Language ?? DemoRandom.Weighted(r, spec.Languages);
        it.Intent = incident && r.NextDouble() < 0.5 ? "tech_support" : DemoPii.Pick(r, DemoTexts.Intents);
        it.Topic = DemoPii.Pick(r, DemoTexts.Topics[it.Intent]);
        var texts = DemoTexts.ByLanguage[lang];
        var ctx = new FillContext(texts, lang, it.Customer?.Country ?? spec.Country, spec.BrandDomain) { CustomerFirstName = it.Customer?.FirstName ?? "" };

        var run = new DemoConversation(p, r, it, texts, ctx);
        run.Play(load);
        it.Sentiment = Math.Round(Math.Clamp(run._mood + (r.NextDouble() - 0.5) * 0.4, -1, 1), 2);
        if (it.Outcome is "contained" or "resolved" or "follow_up" && r.NextDouble() < 0.3)
            it.Csat = Math.Clamp((int)Math.Round(3 + 2 * it.Sentiment.Value + (r.NextDouble() - 0.5) * 1.5), 1, 5);
        CutOff(it, now);
        return it;
    }

    private void Play(double load)
    {
        var spec = _p.Spec;
        // Bots answer first: digital channels almost always, voice through the IVR most of the time.
        int bot = Array.FindIndex(spec.Bots, b => b.Channels.Contains(_it.Channel));
        bool needsAgent = true;
        if (bot >= 0 && _r.NextDouble() < (_it.Channel == "voice" ? 0.7 : 0.9))
            needsAgent = Bot(bot);
        else
            Customer(DemoPii.Pick(_r, _texts.Openings[_it.Intent!]));
        if (needsAgent) Queue(load);
        _it.EndedAt = _t;
    }

    private void Say(string sender, long? id, string text) => _it.Messages.Add(new SimMessage(_t, sender, id, text));
    private long Gap(int min, int max) => _r.Next(min, max + 1);
    private string Text(string[] pool) => DemoTexts.Fill(_r, DemoPii.Pick(_r, pool), _ctx);

    /// <summary>A customer line: sometimes with PII swapped in, a typo, or an emoji (not in voice transcripts).</summary>
    private void Customer(string template, bool piiLikely = false, bool? happy = null)
    {
        if (piiLikely && _r.NextDouble() < 0.4) template = DemoPii.Pick(_r, _texts.FollowUpsPii);
        if (_r.NextDouble() < 0.12) template = DemoTexts.Typo(_r, template);
        string text = DemoTexts.Fill(_r, template, _ctx);
        if (!_spoken && _r.NextDouble() < 0.15) text += " " + DemoTexts.Emoji(_r, happy ?? _mood > 0);
        Say("customer", _it.Customer?.Id, text);
    }

    /// <summary>The bot conversation; returns whether it escalates to a queue.</summary>
    private bool Bot(int bot)
    {
        var spec = _p.Spec;
        _it.Bot = bot;
        long botId = _p.BotIds[bot];
        _ctx = _ctx with { BotName = spec.Bots[bot].Name, QueueName = spec.Queues[Route(spec, _it)].Name };
        double contain = Containment[_it.Intent!], u = _r.NextDouble();
        string outcome = u < contain ? "contained" : u < contain + 0.1 ? "abandoned" : "escalated";
        int turns = outcome == "contained" ? _r.Next(1, 5) : DemoRandom.Weighted(_r, [(1, 0.5), (2, 0.35), (3, 0.15)]);
        _t += Gap(1, 3);
        Say("bot", botId, Text(_texts.BotGreeting));
        for (int turn = 0; turn < turns; turn++)
        {
            _t += _spoken ? Gap(4, 20) : Gap(8, 60);
            Customer(DemoPii.Pick(_r, turn == 0 ? _texts.Openings[_it.Intent!] : _texts.FollowUps), piiLikely: turn > 0);
            _t += Gap(1, 4);
            bool last = turn == turns - 1;
            Say("bot", botId, Text(!last ? _texts.BotAsk : outcome switch
            {
                "contained" => _texts.BotSolved,
                "escalated" => _texts.BotEscalate,
                _ => _texts.BotAsk,
            }));
        }
        if (outcome == "abandoned")
        {
            _t += Gap(60, 180); Say("bot", botId, Text(_texts.BotStillThere));
            _t += 120; Say("system", null, _texts.TimedOut);
            _mood -= 0.3;
            _it.Outcome = "abandoned";
        }
        else if (outcome == "contained")
        {
            if (_r.NextDouble() < 0.5) { _t += Gap(5, 40); Customer(DemoPii.Pick(_r, _texts.Thanks), happy: true); }
            _mood += 0.35;
            _it.Outcome = "contained";
        }
        _it.BotSession = new SimBotSession(bot, _it.StartedAt, _t, outcome, turns);
        return outcome == "escalated";
    }

    /// <summary>Queue, wait, then an agent or abandonment.</summary>
    private void Queue(double load)
    {
        var spec = _p.Spec;
        _it.Queue = Route(spec, _it);
        var q = spec.Queues[_it.Queue];
        _ctx = _ctx with { QueueName = q.Name };
        _t += Gap(1, 5);
        long queuedAt = _t;
        _it.QueuedAt = queuedAt;
        bool email = _it.Channel == "email";
        if (!email && _r.NextDouble() < 0.3) Say("system", null, DemoTexts.Fill(_r, _texts.Queued, _ctx));

        // Waits grow with load; patience depends on how synchronous the channel is.
        double wait = email
            ? DemoRandom.Exp(_r, (q.ServiceLevelSeconds ?? 3600) * 0.4 * (0.5 + load))
            : 3 + DemoRandom.Exp(_r, q.BaseWaitSeconds * 0.6 * (0.3 + 0.7 * load));
        double patience = _it.Channel switch
        {
            "email" => double.MaxValue,
            "voice" => DemoRandom.Exp(_r, 360),
            "video" => DemoRandom.Exp(_r, 300),
            "webchat" or "apple" => DemoRandom.Exp(_r, 480),
            _ => DemoRandom.Exp(_r, 1800), // sms, whatsapp, facebook: people come back to the thread later
        };
        long answerAt = queuedAt + (long)Math.Min(wait, 3 * 86400);
        int agent = wait < patience ? _p.Shifts.OnDuty(answerAt, _it.Queue, _r) : -1;
        // Email waits in the queue until someone logs in; live channels give up instead.
        for (int step = 0; email && agent < 0 && step < 4 * 48; step++)
        {
            answerAt += 900;
            agent = _p.Shifts.OnDuty(answerAt, _it.Queue, _r);
        }
        long giveUpAt = queuedAt + (long)Math.Min(patience, 86400);
        if (!email && (agent < 0 || answerAt - queuedAt > 240) && _r.NextDouble() < 0.5)
        {
            _t = queuedAt + Gap(120, (int)Math.Max(121, Math.Min(answerAt, giveUpAt) - queuedAt - 1));
            Customer(DemoPii.Pick(_r, _texts.Angry), happy: false); // complaining while on hold
        }
        if (agent < 0)
        {
            _t = Math.Max(_t + 1, giveUpAt);
            _it.AbandonedAt = _t;
            Say("system", null, _texts.LeftQueue);
            _it.Outcome = "abandoned";
            _mood -= 0.35;
            return;
        }

        _it.AnsweredAt = _t = answerAt;
        _it.Agent = agent;
        var a = _p.Agents[agent];
        _ctx = _ctx with { AgentName = a.Name.Split(' ')[0] };
        if (!email && _r.NextDouble() < 0.8) Say("system", null, DemoTexts.Fill(_r, _texts.Joined, _ctx));
        _mood -= Math.Min((answerAt - queuedAt) / (email ? 86400.0 : 600.0), 0.4);

        // Email agents spend minutes writing one reply; live channels trade several short messages.
        _t += email ? Gap(120, 900) : _it.Channel == "voice" ? Gap(2, 8) : Gap(5, 60);
        Say("agent", a.Id, Text(_texts.AgentGreeting));
        int exchanges = email ? 0 : DemoRandom.Weighted(_r, [(0, 0.35), (1, 0.35), (2, 0.2), (3, 0.1)]);
        for (int i = 0; i < exchanges; i++)
        {
            _t += _it.Channel is "sms" or "whatsapp" or "facebook" ? Gap(30, 400) : Gap(10, 90);
            Customer(DemoPii.Pick(_r, _texts.FollowUps), piiLikely: true);
            _t += Gap(15, 120);
            Say("agent", a.Id, Text(_texts.AgentReplies));
        }
        if (email) { _t += Gap(20, 120); Say("agent", a.Id, Text(_texts.AgentReplies)); }
        _t += Gap(10, 60);
        Say("agent", a.Id, Text(_texts.AgentClosing));
        if (_r.NextDouble() < 0.5) { _t += Gap(5, 40); Customer(DemoPii.Pick(_r, _texts.Thanks), happy: true); }
        _t += Gap(5, 30);
        if (!email && _r.NextDouble() < 0.5) Say("system", null, _texts.Closed);
        double u = _r.NextDouble();
        _it.Outcome = u < 0.8 ? "resolved" : u < 0.95 ? "follow_up" : "transferred";
        _mood += _it.Outcome == "resolved" ? 0.35 : -0.1;
    }

    /// <summary>Email goes to the email desk; otherwise the first queue whose intents match (queue 0 is the catch-all).</summary>
    private static int Route(ProviderSpec spec, SimInteraction it)
    {
        var queues = spec.Queues;
        if (it.Channel == "email")
        {
            int desk = Array.FindIndex(queues, q => q.EmailOnly);
            if (desk >= 0) return desk;
        }
        for (int i = 1; i < queues.Length; i++)
            if (!queues[i].EmailOnly && queues[i].Intents.Contains(it.Intent)) return i;
        return 0;
    }

    /// <summary>Whatever lies after "now" has not happened yet: drop those messages and leave the
    /// interaction (and its bot session) open, still queued, or still waiting for an answer.</summary>
    private static void CutOff(SimInteraction it, long now)
    {
        if (it.EndedAt <= now) return;
        it.Messages.RemoveAll(m => m.SentAt > now);
        it.EndedAt = null;
        it.Outcome = null;
        it.Csat = null;
        if (it.AnsweredAt > now) { it.AnsweredAt = null; it.Agent = -1; }
        if (it.AbandonedAt > now) it.AbandonedAt = null;
        if (it.QueuedAt > now) { it.QueuedAt = null; it.Queue = -1; }
        if (it.BotSession is { EndedAt: > 0 } b && b.EndedAt > now) it.BotSession = b with { EndedAt = null, Outcome = null };
    }
}
