using Dapper;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Infrastructure.Database;

/// <summary>
/// The service's copies of PostgreSQL arithmetic (AgentQueueStats computes its figures from streamed rows) against
/// PostgreSQL itself, bit for bit, on intervals made the way the slice makes them: timestamptz − timestamptz.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresArithmeticTests(PostgresFixture db)
{
    private const string Sql = """
        WITH x AS (SELECT g, b - a AS iv FROM unnest(@Groups, @Starts, @Ends) AS u(g, a, b))
        SELECT g, array_agg(date_part('epoch', iv)) AS seconds,
               (extract(epoch FROM sum(iv)) / count(*))::float8 AS average,
               max(date_part('epoch', iv)) AS max,
               percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY date_part('epoch', iv)) AS percentiles
        FROM x GROUP BY g ORDER BY g
        """;

    [Fact]
    public async Task Averages_maxima_and_percentiles_equal_PostgreSQL_bit_for_bit()
    {
        var random = new Random(20261126);
        // sizes around the base-10 000 digit boundaries of the divisor, powers of two (decimal ties), one and two rows
        int[] sizes = [1, 2, 3, 7, 10, 11, 64, 999, 1024, 9_999, 10_000, 10_001, 16_384, 23_457];
        var (groups, starts, ends) = (new List<int>(), new List<DateTime>(), new List<DateTime>());
        var origin = new DateTime(2026, 3, 8, 6, 59, 59, DateTimeKind.Utc);
        for (var g = 0; g < sizes.Length * 4; g++)
        {
            // spans: sub-second, minutes, beyond a day (the interval carries days), and some negative
            var scale = (g % 4) switch { 0 => 1_000_000L, 1 => 600_000_000L, 2 => 5 * 86_400_000_000L, _ => 3_600_000_000L };
            for (var i = 0; i < sizes[g / 4]; i++)
            {
                var start = origin.AddTicks(random.NextInt64(0, 400L * 86_400_000_000) * 10);
                var micros = random.NextInt64(g % 4 == 3 ? -scale / 10 : 0, scale);
                groups.Add(g);
                starts.Add(start);
                ends.Add(start.AddTicks(micros * 10));
            }
        }

        await using var connection = await db.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(int G, double[] Seconds, double Average, double Max, double[] Percentiles)>(Sql,
            new { Groups = groups.ToArray(), Starts = starts.ToArray(), Ends = ends.ToArray() })).AsList();
        Assert.Equal(sizes.Length * 4, rows.Count);

        var members = groups.Select((g, i) => (Group: g, Micros: PostgresArithmetic.Micros(starts[i], ends[i]))).ToLookup(x => x.Group, x => x.Micros);
        Assert.Contains(members.SelectMany(m => m), m => m > 86_400_000_000);
        Assert.Contains(members.SelectMany(m => m), m => m < 0);
        foreach (var row in rows)
        {
            var micros = members[row.G].ToList();
            var seconds = micros.Select(PostgresArithmetic.EpochSeconds).ToArray();
            // date_part's float8 per row, in the database's order: the same multiset
            Assert.Equal(row.Seconds.Order(), seconds.Order());
            Assert.Equal(row.Average, PostgresArithmetic.AverageSeconds(micros.Sum(), micros.Count));
            Assert.Equal(row.Max, seconds.Max());
            Assert.Equal(row.Percentiles[0], PostgresArithmetic.PercentileCont(seconds, 0.5));
            Assert.Equal(row.Percentiles[1], PostgresArithmetic.PercentileCont(seconds, 0.9));
        }
    }

    [Fact]
    public async Task Numeric_quotients_equal_PostgreSQL_across_magnitudes_and_signs()
    {
        var random = new Random(42);
        long Draw() => random.Next(4) switch
        {
            0 => random.NextInt64(-9, 10),                               // a few microseconds
            1 => random.NextInt64(1, 10_000_000),                        // up to ten seconds
            2 => random.NextInt64(-1_000_000_000_000, 1_000_000_000_000), // ± 11 days
            _ => random.NextInt64(1, long.MaxValue / 4),                 // beyond the double's integers
        };
        var pairs = Enumerable.Range(0, 4_000).Select(_ => (A: Draw(), B: Draw())).Where(p => p.B != 0).ToArray();
        const string sql = """
            -- × 0.000001: exact, with display scale 6 (a division would pick its own scale and round)
            SELECT (a::numeric * 0.000001 / (b::numeric * 0.000001))::float8,
                   (a::numeric * 0.000001 / abs(b))::float8
            FROM unnest(@As, @Bs) AS u(a, b)
            """;
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var expected = (await connection.QueryAsync<(double Seconds, double PerCount)>(sql,
            new { As = pairs.Select(p => p.A).ToArray(), Bs = pairs.Select(p => p.B).ToArray() })).AsList();

        for (var i = 0; i < pairs.Length; i++)
        {
            var (a, b) = pairs[i];
            Assert.True(expected[i].Seconds == PostgresArithmetic.NumericQuotient(a, 6, b, 6), $"{a} / {b}");
            Assert.True(expected[i].PerCount == PostgresArithmetic.AverageSeconds(a, Math.Abs(b)), $"{a} / {Math.Abs(b)}");
        }
    }

    [Theory]
    // (micros, count, PostgreSQL's text of (extract(epoch FROM sum) / count)::float8)
    [InlineData(30_000_000L, 1L, 30.0)]
    [InlineData(160_000_000L, 3L, 53.333333333333336)]
    [InlineData(1L, 2L, 5E-07)]
    [InlineData(-7_000_001L, 3L, -2.333333666666667)]
    [InlineData(0L, 5L, 0.0)]
    public void Averages_of_known_sums(long micros, long count, double expected) =>
        Assert.Equal(expected, PostgresArithmetic.AverageSeconds(micros, count));

    [Fact]
    public void Percentiles_interpolate_between_the_rows_around_the_fraction()
    {
        Assert.Null(PostgresArithmetic.PercentileCont(Span<double>.Empty, 0.5));
        Assert.Equal(7.0, PostgresArithmetic.PercentileCont(new[] { 7.0 }, 0.9));
        Assert.Equal(15.0, PostgresArithmetic.PercentileCont(new[] { 20.0, 10.0 }, 0.5));
        Assert.Equal(28.0, PostgresArithmetic.PercentileCont(new[] { 30.0, 10.0, 20.0 }, 0.9)); // 0.9 × 2 = 1.8 → 20 + 10 × 0.8
        Assert.Equal(3.0, PostgresArithmetic.PercentileCont(new[] { 3.0, 3.0, 1.0, 3.0, 9.0, 3.0 }, 0.5)); // ties around the pivot
    }

    [Fact]
    public void Selection_finds_the_same_rows_as_a_sort_with_many_ties()
    {
        var random = new Random(7);
        for (var run = 0; run < 3_000; run++)
        {
            var values = Enumerable.Range(0, random.Next(1, 60)).Select(_ => (double)random.Next(0, run % 2 == 0 ? 4 : 1_000)).ToArray();
            var sorted = values.Order().ToArray();
            foreach (var fraction in new[] { 0.0, 0.5, 0.9, 1.0 })
            {
                var position = fraction * (sorted.Length - 1);
                var (low, high) = (sorted[(int)Math.Floor(position)], sorted[(int)Math.Ceiling(position)]);
                Assert.Equal(low + (high - low) * (position - Math.Floor(position)), PostgresArithmetic.PercentileCont(values.ToArray(), fraction));
            }
        }
    }
}
