using System.Data.Common;
using System.Text;
using Dapper;
using KoopidDashboard.Infrastructure.Time;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.Analytics.Run;

/// <summary>
/// The analytics query builder. SQL is assembled only from catalogue constants (sources, dimension expressions, metric
/// fragments) chosen by names that <see cref="RunOptions"/> has already matched against the catalogue; every value
/// (provider, range, bounds, filters, zone) is a parameter.
/// </summary>
public static class Data
{
    /// <summary>Which GROUPING SET a row belongs to.</summary>
    public enum Level { BucketAndKeys, Bucket, Keys, Total }

    /// <summary>One result row: its level, width_bucket number, up to two keys, and one value per requested metric.</summary>
    public sealed record Row(Level Level, int? Bucket, object? Key1, object? Key2, double?[] Values);

    public sealed record HistogramBin
    {
        public int Bin { get; init; }
        public long Samples { get; init; }
    }

    /// <summary>
    /// One CTE per source the metrics read (each attributes to its own time column), grouped by
    /// GROUPING SETS ((bucket, keys), (bucket), (keys), ()); the CTEs are stacked with UNION ALL and folded so each
    /// (level, bucket, keys) gets one row holding every metric.
    /// </summary>
    public static string BuildSql(IReadOnlyList<Metric> metrics, IReadOnlyList<string> keys, IReadOnlyCollection<string> filters)
    {
        var sql = new StringBuilder("WITH ");
        var sources = metrics.Select(m => m.Source).Distinct().ToList();
        for (var s = 0; s < sources.Count; s++)
        {
            var source = sources[s];
            var bucket = $"width_bucket({source.TimeColumn}, @Bounds)";
            var keySql = keys.Select(source.DimensionSql).ToList();
            var all = string.Join(", ", keySql.Prepend(bucket));
            var sets = keys.Count == 0 ? $"({bucket}), ()" : $"({all}), ({bucket}), ({string.Join(", ", keySql)}), ()";
            if (s > 0)
                sql.Append(",\n");
            sql.Append($"s{s} AS (\n    SELECT GROUPING({all}) AS grp, {bucket} AS bucket");
            for (var k = 0; k < keys.Count; k++)
                sql.Append($", {keySql[k]} AS k{k + 1}");
            for (var m = 0; m < metrics.Count; m++)
            {
                var metric = metrics[m];
                // each metric's definition is in the catalogue (SPEC §4); other sources' metrics are NULL here
                sql.Append(metric.Source == source ? $",\n           /* {metric.Name} */ ({metric.Sql})::float8 AS m{m}" : $",\n           NULL::float8 AS m{m}");
            }
            sql.Append($"\n    FROM {source.From}\n    WHERE {source.ProviderColumn} = @ProviderId\n");
            sql.Append($"      AND {source.TimeColumn} >= @Start AND {source.TimeColumn} < @End\n");
            foreach (var dimension in filters)
                sql.Append($"      AND {source.DimensionSql(dimension)} = ANY(@{Parameter(dimension)})\n");
            sql.Append($"    GROUP BY GROUPING SETS ({sets})\n)");
        }
        var keyColumns = string.Concat(Enumerable.Range(1, keys.Count).Select(k => $", k{k}"));
        sql.Append($"\nSELECT grp, bucket{keyColumns}");
        for (var m = 0; m < metrics.Count; m++)
            sql.Append($", max(m{m}) AS m{m}");
        sql.Append("\nFROM (");
        sql.Append(string.Join(" UNION ALL ", Enumerable.Range(0, sources.Count).Select(s => $"SELECT * FROM s{s}")));
        sql.Append($") u\nGROUP BY grp, bucket{keyColumns}");
        return sql.ToString();
    }

    public static async Task<IReadOnlyList<Row>> QueryAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, IReadOnlyList<Metric> metrics,
        IReadOnlyList<string> keys, IReadOnlyDictionary<string, Array> filters, CancellationToken ct)
    {
        var parameters = Parameters(providerId, plan, filters);
        if (keys.Any(k => k is Catalogue.LocalWeekday or Catalogue.LocalHour))
            parameters.Add("Tz", plan.Zone.Id);

        await using var connection = await db.OpenConnectionAsync(ct);
        await using DbDataReader reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            BuildSql(metrics, keys, filters.Keys.ToList()), parameters, cancellationToken: ct));
        var rows = new List<Row>();
        var keyMask = (1 << keys.Count) - 1;
        while (await reader.ReadAsync(ct))
        {
            var grp = reader.GetInt32(0);
            var hasBucket = (grp >> keys.Count & 1) == 0;
            var hasKeys = (grp & keyMask) == 0;
            var level = keys.Count == 0 ? (hasBucket ? Level.Bucket : Level.Total)
                : hasBucket ? (hasKeys ? Level.BucketAndKeys : Level.Bucket) : (hasKeys ? Level.Keys : Level.Total);
            var values = new double?[metrics.Count];
            for (var m = 0; m < metrics.Count; m++)
                values[m] = reader.IsDBNull(2 + keys.Count + m) ? null : reader.GetDouble(2 + keys.Count + m);
            rows.Add(new Row(level,
                reader.IsDBNull(1) ? null : reader.GetInt32(1),
                keys.Count > 0 && !reader.IsDBNull(2) ? reader.GetValue(2) : null,
                keys.Count > 1 && !reader.IsDBNull(3) ? reader.GetValue(3) : null,
                values));
        }
        return rows;
    }

    /// <summary>Histogram of a duration over the range: bin n (1-based) counts samples in [edges[n-1], edges[n]); the last bin is open.</summary>
    public static string HistogramSql(DurationFamily family, IReadOnlyCollection<string> filters)
    {
        var source = family.Source;
        var sql = new StringBuilder($"""
            SELECT width_bucket(greatest({family.ValueSql}, 0), @Edges) AS bin, count(*) AS samples /* {family.Name}: {family.Definition} */
            FROM {source.From}
            WHERE {source.ProviderColumn} = @ProviderId
              AND {source.TimeColumn} >= @Start AND {source.TimeColumn} < @End
              AND {family.SampleSql}

            """);
        foreach (var dimension in filters)
            sql.Append($"  AND {source.DimensionSql(dimension)} = ANY(@{Parameter(dimension)})\n");
        sql.Append("GROUP BY 1");
        return sql.ToString();
    }

    public static async Task<IReadOnlyList<HistogramBin>> HistogramAsync(NpgsqlDataSource db, long providerId, BucketPlan plan, DurationFamily family,
        IReadOnlyDictionary<string, Array> filters, CancellationToken ct)
    {
        var parameters = Parameters(providerId, plan, filters);
        parameters.Add("Edges", Catalogue.HistogramEdges);
        await using var connection = await db.OpenConnectionAsync(ct);
        var bins = await connection.QueryAsync<HistogramBin>(new CommandDefinition(HistogramSql(family, filters.Keys.ToList()), parameters, cancellationToken: ct));
        return bins.AsList();
    }

    private static DynamicParameters Parameters(long providerId, BucketPlan plan, IReadOnlyDictionary<string, Array> filters)
    {
        var parameters = new DynamicParameters();
        parameters.Add("ProviderId", providerId);
        parameters.Add("Start", plan.Start);
        parameters.Add("End", plan.End);
        parameters.Add("Bounds", plan.Bounds);
        foreach (var (dimension, values) in filters)
            parameters.Add(Parameter(dimension), values);
        return parameters;
    }

    /// <summary>Parameter names come from catalogue dimension names (never from request text).</summary>
    private static string Parameter(string dimension) => "F_" + Catalogue.FindDimension(dimension)!.Name;
}
