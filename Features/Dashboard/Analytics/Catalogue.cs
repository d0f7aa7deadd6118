namespace KoopidDashboard.Features.Dashboard.Analytics;

/// <summary>
/// A fact set the analytics queries read: the FROM clause, the provider column, the column that attributes a fact to a
/// bucket (SPEC §4 attribution) and where each dimension lives. Every string here is a C# constant: the query builder
/// assembles SQL only from these fragments, never from request text.
/// </summary>
public sealed record Source(string Name, string From, string ProviderColumn, string TimeColumn, string AttributedTo,
    IReadOnlyDictionary<string, string> Dimensions)
{
    /// <summary>The SQL of a dimension on this source; the internal weekday/hour keys read the attribution column in @Tz.</summary>
    public string DimensionSql(string dimension) => dimension switch
    {
        Catalogue.LocalWeekday => $"extract(isodow FROM {TimeColumn} AT TIME ZONE @Tz)::int",
        Catalogue.LocalHour => $"extract(hour FROM {TimeColumn} AT TIME ZONE @Tz)::int",
        _ => Dimensions[dimension],
    };

    public bool Has(string dimension) => dimension is Catalogue.LocalWeekday or Catalogue.LocalHour || Dimensions.ContainsKey(dimension);
}

/// <summary>A grouping/filter dimension: its JSON name, what it means, and the SQL type of its key.</summary>
public sealed record Dimension(string Name, string Definition, bool IsNumeric);

/// <summary>One metric: name, unit, SPEC §4 definition, its aggregate SQL over <see cref="Source"/>, and what it may be grouped by.</summary>
public sealed record Metric(string Name, string Unit, string Definition, Source Source, string Sql, bool IsCount)
{
    /// <summary>The column whose bucket receives the metric (SPEC §4 attribution), as SQL and as the JSON field name.</summary>
    public string TimeColumn => Source.TimeColumn;
    public string AttributedTo => Source.AttributedTo;

    /// <summary>Dimensions this metric can be grouped and filtered by (those its source carries), in catalogue order.</summary>
    public IReadOnlyList<string> Groupings => Catalogue.Dimensions.Select(d => d.Name).Where(Source.Dimensions.ContainsKey).ToList();
}

/// <summary>A duration whose avg, max and exact percentiles are metrics and whose histogram the duration analyses draw.</summary>
public sealed record DurationFamily(string Name, string Definition, Source Source, string ValueSql, string SampleSql);

/// <summary>The shape an analysis answers with (see docs/metrics/Analytics.md).</summary>
public enum AnalysisShape { Series, Sentiment, Csat, Duration, Heatmap, Breakdown, Aggregate }

/// <summary>An analysis type of the catalogue: its default metrics, the dimension it breaks down by, its duration family.</summary>
public sealed record Analysis(string Name, string Description, AnalysisShape Shape, IReadOnlyList<string> Metrics,
    string? BreakdownBy = null, DurationFamily? Family = null);

/// <summary>
/// The analytics catalogue: every analysis type, metric, dimension and band. The queries (Run/Data.cs) and the catalogue
/// endpoint (List/) both read these definitions, so what GET /Dashboard/Analytics documents is what the SQL computes.
/// </summary>
public static partial class Catalogue
{
    public const string Channel = "channel", InteractionType = "interactionType", QueueId = "queueId", AgentId = "agentId",
        BotId = "botId", Intent = "intent", Topic = "topic";

    /// <summary>Internal heatmap keys (local weekday 1 = Monday … 7, local hour 0..23); not offered as groupBy.</summary>
    public const string LocalWeekday = "weekday", LocalHour = "hour";

    public const int MaxGroupBy = 2;
    public const int MaxMetrics = 30;

    public static readonly IReadOnlyList<Dimension> Dimensions =
    [
        new(Channel, "The interaction's channel (webchat, sms, whatsapp, facebook, apple, email, voice, video…).", false),
        new(InteractionType, "The interaction's type: chat, voice, video, email, sms, social.", false),
        new(QueueId, "The queue the interaction was routed to.", true),
        new(AgentId, "The agent who accepted the interaction.", true),
        new(BotId, "The bot that handled the interaction (for bot-session metrics: the session's bot).", true),
        new(Intent, "The interaction's intent.", false),
        new(Topic, "The interaction's topic.", false),
    ];

    /// <summary>Histogram bin lower edges in seconds; the last bin is open ([3600 s, ∞)). Negative samples fall in the first bin.</summary>
    public static readonly double[] HistogramEdges = [0, 10, 30, 60, 120, 300, 600, 1800, 3600];

    /// <summary>Sentiment bands over −1..1: negative below −0.25, neutral −0.25..0.25 (both inclusive), positive above 0.25.</summary>
    public static readonly IReadOnlyList<(string Band, double Min, double Max, string Metric)> SentimentBands =
    [
        ("negative", -1, -0.25, "sentimentNegative"),
        ("neutral", -0.25, 0.25, "sentimentNeutral"),
        ("positive", 0.25, 1, "sentimentPositive"),
    ];

    public static readonly IReadOnlyList<Analysis> Analyses =
    [
        new("volume", "Interactions started, bot-only, offered, answered and abandoned, and messages, per bucket.", AnalysisShape.Series,
            ["started", "botOnly", "offered", "answered", "abandoned", "messages"]),
        new("sentiment", "Sentiment trend (average and band counts per bucket) and its distribution in bands over the range.", AnalysisShape.Sentiment,
            ["sentimentScored", "avgSentiment", "sentimentNegative", "sentimentNeutral", "sentimentPositive"]),
        new("waitTime", "Wait seconds per bucket (avg, max, exact p50/p90/p95/p99) and a histogram over the range.", AnalysisShape.Duration,
            ["answered", "waitSecondsAvg", "waitSecondsMax", "waitSecondsP50", "waitSecondsP90", "waitSecondsP95", "waitSecondsP99"], Family: Sources.Wait),
        new("handleTime", "Handle seconds per bucket (avg, max, exact p50/p90/p95/p99) and a histogram over the range.", AnalysisShape.Duration,
            ["handled", "handleSecondsAvg", "handleSecondsMax", "handleSecondsP50", "handleSecondsP90", "handleSecondsP95", "handleSecondsP99"], Family: Sources.Handle),
        new("firstResponse", "First-response seconds per bucket (avg, max, exact p50/p90/p95/p99) and a histogram over the range.", AnalysisShape.Duration,
            ["handled", "firstResponseSecondsAvg", "firstResponseSecondsMax", "firstResponseSecondsP50", "firstResponseSecondsP90",
             "firstResponseSecondsP95", "firstResponseSecondsP99"], Family: Sources.FirstResponse),
        new("heatmap", "Weekday × local hour (in tz) over the range: 168 cells, weekday 1 = Monday. metrics picks the figures (default started).",
            AnalysisShape.Heatmap, ["started"]),
        new("channels", "Per channel over the range (rows, with share of started) and per bucket and channel.", AnalysisShape.Breakdown,
            ["started", "answered", "abandoned", "durationSecondsAvg", "avgSentiment", "avgCsat"], BreakdownBy: Channel),
        new("intents", "Per intent over the range (rows, with share of started) and per bucket and intent.", AnalysisShape.Breakdown,
            ["started", "botContained", "avgSentiment", "avgCsat"], BreakdownBy: Intent),
        new("topics", "Per topic over the range (rows, with share of started) and per bucket and topic.", AnalysisShape.Breakdown,
            ["started", "avgSentiment", "avgCsat"], BreakdownBy: Topic),
        new("csat", "CSAT trend per bucket (responses, average, satisfied share) and the distribution of scores 1..5 over the range.", AnalysisShape.Csat,
            ["csatResponses", "avgCsat", "csatSatisfied", "csatSatisfiedRate", "csat1", "csat2", "csat3", "csat4", "csat5"]),
        new("aggregate", "Any catalogue metrics, grouped by up to two dimensions, as flat rows per bucket and group.", AnalysisShape.Aggregate, []),
    ];

    public static Analysis? FindAnalysis(string? name) =>
        Analyses.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));

    public static Metric? FindMetric(string? name) =>
        Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    public static Dimension? FindDimension(string? name) =>
        Dimensions.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    public static bool IsNumericKey(string dimension) => dimension is LocalWeekday or LocalHour || FindDimension(dimension)!.IsNumeric;
}
