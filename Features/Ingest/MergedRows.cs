namespace KoopidDashboard.Features.Ingest;

/// <summary>
/// One table's rows of a batch, one entry per key: several lines may describe the same entity (an interaction that
/// starts, then ends), merged in input order with later values winning, so the upsert touches each key once.
/// Built while parsing (<see cref="IngestPipeline.Parse"/>), so a streaming caller does this CPU work off the writer's path.
/// </summary>
public sealed class MergedRows
{
    /// <summary>The values of each entry, in first-seen order.</summary>
    public List<object?[]> Values { get; } = [];

    private readonly List<(long, long)> keys = [];
    private readonly List<int> firstLines = [];
    private readonly Dictionary<(long, long), int> entryOf = [];
    private Dictionary<int, List<int>>? laterLines; // only entries that merged several lines (rare)

    /// <summary>Groups rows by table and merges them by key.</summary>
    public static Dictionary<IngestTable, MergedRows> Group(IEnumerable<IngestRow> rows)
    {
        var tables = new Dictionary<IngestTable, MergedRows>();
        foreach (var row in rows)
        {
            if (!tables.TryGetValue(row.Table, out var merged))
                tables[row.Table] = merged = new MergedRows();
            merged.Add(row);
        }
        return tables;
    }

    private void Add(IngestRow row)
    {
        if (entryOf.TryGetValue(row.Key, out var entry))
        {
            laterLines ??= [];
            if (!laterLines.TryGetValue(entry, out var lines))
            {
                // First merge into this entry: copy its values, the parsed row stays as it was.
                laterLines[entry] = lines = [];
                Values[entry] = (object?[])Values[entry].Clone();
            }
            var values = Values[entry];
            for (var i = 0; i < row.Values.Length; i++)
                values[i] = row.Values[i] ?? values[i];
            lines.Add(row.Line);
            return;
        }
        entryOf[row.Key] = Values.Count;
        keys.Add(row.Key);
        Values.Add(row.Values);
        firstLines.Add(row.Line);
    }

    /// <summary>The entries whose provider is in <paramref name="providers"/>, in the same order.</summary>
    public MergedRows OnlyProviders(IReadOnlySet<long> providers)
    {
        var kept = new MergedRows();
        for (var entry = 0; entry < Values.Count; entry++)
        {
            if (!providers.Contains((long)Values[entry][0]!))
                continue;
            kept.keys.Add(keys[entry]); // entryOf only serves Add while parsing; a split batch is never added to
            if (laterLines is not null && laterLines.TryGetValue(entry, out var lines))
                (kept.laterLines ??= [])[kept.Values.Count] = lines;
            kept.Values.Add(Values[entry]);
            kept.firstLines.Add(firstLines[entry]);
        }
        return kept;
    }

    /// <summary>Adds the lines of every entry whose key is in <paramref name="changedKeys"/>.</summary>
    public void AddLinesOf(IReadOnlySet<(long, long)> changedKeys, HashSet<int> changedLines)
    {
        for (var entry = 0; entry < Values.Count; entry++)
        {
            if (!changedKeys.Contains(keys[entry]))
                continue;
            changedLines.Add(firstLines[entry]);
            if (laterLines is not null && laterLines.TryGetValue(entry, out var lines))
                changedLines.UnionWith(lines);
        }
    }
}
