using Dapper;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

/// <summary>One additive measure of a rollup: <paramref name="Expression"/> is evaluated per source row (alias <c>x</c>) and summed.</summary>
public sealed record RollupMeasure(string Name, string Expression, bool IsSeconds = false);

/// <summary>
/// A 15-minute rollup of a source table (docs/performance.md): per provider, 15-minute UTC bucket of
/// <see cref="TimeColumn"/> and <see cref="Dimensions"/>, the sums of <see cref="Measures"/>. The first measure counts
/// rows; a key whose count falls to 0 is deleted, so the incremental table always equals a rebuild.
/// Sums of seconds are exact <c>numeric</c> (extract(epoch …) has 6 decimals), so sum ÷ count equals PostgreSQL's
/// <c>avg</c> over the raw rows digit for digit.
/// </summary>
public sealed record RollupDefinition(string Name, IngestTable Source, string TimeColumn, string[] Dimensions, RollupMeasure[] Measures)
{
    /// <summary>date_bin origin: the Unix epoch, so bucket starts are multiples of 15 minutes since 1970-01-01T00:00Z.</summary>
    public const string BucketOf = "date_bin('15 minutes', {0}, TIMESTAMPTZ '1970-01-01 00:00:00+00')";

    public string KeyColumns => string.Join(", ", new[] { "provider_id", "bucket_start" }.Concat(Dimensions));
}

public static class Rollups
{
    private static RollupMeasure Seconds(string name, string condition, string from, string to) =>
        new(name + "_sum", $"CASE WHEN {condition} THEN extract(epoch FROM x.{to} - x.{from}) END", IsSeconds: true);

    /// <summary>Interaction metrics attributed to startedAt (Interactions, InteractionType), by every filter dimension.</summary>
    public static readonly RollupDefinition Interactions = new("interaction_rollup_15m", IngestTables.Interactions, "started_at",
        ["channel", "interaction_type", "queue_id", "agent_id", "bot_id"],
        [
            new("interactions", "1"),
            new("answered", "(x.answered_at IS NOT NULL)::int"),
            new("bot_only", "(x.bot_id IS NOT NULL AND x.queued_at IS NULL AND x.answered_at IS NULL)::int"),
            new("abandoned", "(x.abandoned_at IS NOT NULL AND x.answered_at IS NULL)::int"),
            new("wait_n", "(x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL)::int"),
            Seconds("wait", "x.answered_at IS NOT NULL AND x.queued_at IS NOT NULL", "queued_at", "answered_at"),
            new("handle_n", "(x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL)::int"),
            Seconds("handle", "x.answered_at IS NOT NULL AND x.ended_at IS NOT NULL", "answered_at", "ended_at"),
            new("duration_n", "(x.ended_at IS NOT NULL)::int"),
            Seconds("duration", "x.ended_at IS NOT NULL", "started_at", "ended_at"),
        ]);

    /// <summary>Bot session metrics attributed to startedAt (BotAccessStats), by bot.</summary>
    public static readonly RollupDefinition BotSessions = new("bot_session_rollup_15m", IngestTables.BotSessions, "started_at",
        ["bot_id"],
        [
            new("sessions", "1"),
            new("contained", "(x.outcome = 'contained')::int"),
            new("escalated", "(x.outcome = 'escalated')::int"),
            new("abandoned", "(x.outcome = 'abandoned')::int"),
            new("duration_n", "(x.ended_at IS NOT NULL)::int"),
            Seconds("duration", "x.ended_at IS NOT NULL", "started_at", "ended_at"),
            new("turns_n", "(x.turns IS NOT NULL)::int"),
            new("turns_sum", "x.turns"),
        ]);

    public static readonly RollupDefinition[] All = [Interactions, BotSessions];

    public static RollupDefinition[] Of(IngestTable table) => All.Where(r => r.Source == table).ToArray();

    /// <summary>The aggregate SELECT list over source rows aliased <c>x</c>, each row weighted by <paramref name="sign"/> (+1/−1).</summary>
    private static string Aggregates(RollupDefinition r, string sign) => string.Join(",\n       ", r.Measures.Select(m => m.IsSeconds
        ? $"coalesce(sum({sign} * ({m.Expression})), 0) AS {m.Name}"
        : $"coalesce(sum({sign} * ({m.Expression})), 0)::bigint AS {m.Name}"));

    private static string GroupedSelect(RollupDefinition r, string sign) =>
        $"SELECT x.provider_id, {string.Format(RollupDefinition.BucketOf, "x." + r.TimeColumn)} AS bucket_start, "
        + string.Join("", r.Dimensions.Select(d => $"x.{d}, "))
        + $"\n       {Aggregates(r, sign)}";

    private static string GroupBy(RollupDefinition r) => "GROUP BY " + string.Join(", ", Enumerable.Range(1, 2 + r.Dimensions.Length));

    /// <summary>
    /// Applies one table write to its rollups by delta, in the ingest transaction: <c>old_{table}</c> holds the stored rows
    /// before the write, <c>changed_{table}</c> the rows the upsert inserted or changed, as stored (its RETURNING). For
    /// those keys the old rows' contribution is subtracted and the new rows' added; keys whose count reaches 0 are removed.
    /// </summary>
    public static async Task ApplyDeltaAsync(NpgsqlConnection connection, RollupDefinition r, CancellationToken ct)
    {
        var t = r.Source.Name;
        var keys = string.Join(", ", r.Source.KeyColumns);
        var delta = "delta_" + r.Name;
        var sql = $"""
            CREATE TEMP TABLE {delta} ON COMMIT DROP AS
            {GroupedSelect(r, "x.sign")}
            FROM (SELECT 1 AS sign, n.* FROM changed_{t} n
                  UNION ALL
                  SELECT -1 AS sign, o.* FROM old_{t} o WHERE ({keys}) IN (SELECT {keys} FROM changed_{t})) x
            {GroupBy(r)};

            INSERT INTO {r.Name} AS r
            SELECT * FROM {delta} d WHERE ({string.Join(", ", r.Measures.Select(m => "d." + m.Name))}) IS DISTINCT FROM ({string.Join(", ", r.Measures.Select(_ => "0"))})
            ORDER BY {r.KeyColumns}
            ON CONFLICT ({r.KeyColumns}) DO UPDATE SET {string.Join(", ", r.Measures.Select(m => $"{m.Name} = r.{m.Name} + EXCLUDED.{m.Name}"))};

            DELETE FROM {r.Name} r USING {delta} d
            WHERE r.provider_id = d.provider_id AND r.bucket_start = d.bucket_start
              {string.Join(" ", r.Dimensions.Select(dim => $"AND r.{dim} IS NOT DISTINCT FROM d.{dim}"))}
              AND r.{r.Measures[0].Name} = 0;
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Recomputes one provider's rollup rows from the raw rows, for bucket starts in [<paramref name="from"/>, <paramref name="to"/>)
    /// (whole history when null). The caller holds the provider's ingest lock (<see cref="LockProvidersAsync"/>).
    /// Returns the rows written.
    /// </summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, RollupDefinition r, long providerId, DateTime? from, DateTime? to, CancellationToken ct)
    {
        var time = "x." + r.TimeColumn;
        var parameters = new { ProviderId = providerId, From = from, To = to };
        await connection.ExecuteAsync(new CommandDefinition($"""
            DELETE FROM {r.Name} WHERE provider_id = @ProviderId
              AND (@From::timestamptz IS NULL OR bucket_start >= @From) AND (@To::timestamptz IS NULL OR bucket_start < @To)
            """, parameters, cancellationToken: ct));
        var sql = $"""
            INSERT INTO {r.Name}
            {GroupedSelect(r, "1")}
            FROM {r.Source.Name} x
            WHERE x.provider_id = @ProviderId
              AND (@From::timestamptz IS NULL OR {time} >= @From) AND (@To::timestamptz IS NULL OR {time} < @To)
            {GroupBy(r)}
            ORDER BY {string.Join(", ", Enumerable.Range(1, 2 + r.Dimensions.Length))}
            """;
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: ct));
    }

    /// <summary>
    /// Serialises writers of the same providers (ingest batches, rebuilds, retention's edge rebuild) for the rest of the
    /// transaction, in id order so two batches never deadlock. Rollup deltas read the stored rows before writing them;
    /// two concurrent batches on one entity would otherwise both subtract the same old row.
    /// </summary>
    public static async Task LockProvidersAsync(NpgsqlConnection connection, IEnumerable<long> providerIds, CancellationToken ct)
    {
        var ids = providerIds.Distinct().Order().ToArray();
        if (ids.Length == 0)
            return;
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtextextended('koopid_provider_writes', p)) FROM unnest(@Ids) WITH ORDINALITY AS u(p, n) ORDER BY n",
            new { Ids = ids }, cancellationToken: ct));
    }
}
