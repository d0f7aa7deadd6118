// bench/transport: how long the service's side of an exact part takes to receive its rows, apart from everything else.
// The rows are AgentQueueStats' (queue, queuedAt, answeredAt, abandonedAt of the offered interactions in a range, the
// exact p50/p90 need every one), received three ways on one connection, alternating, 5 rounds of warm-up then 20:
//   rows   - one row each, read with NpgsqlDataReader (what the slice does);
//   arrays - four array_agg columns in one row;
//   copy   - COPY (…) TO STDOUT (FORMAT BINARY).
// Usage: dotnet run -c Release -- "Host=…;Database=koopid_bench;…" PROVIDER START_MS END_MS
using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Koopid.Transport CONNECTION_STRING PROVIDER START_MS END_MS");
    return 2;
}
await using var dataSource = NpgsqlDataSource.Create(args[0]);
var provider = long.Parse(args[1]);
var start = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[2])).UtcDateTime;
var end = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[3])).UtcDateTime;
const string Range = "FROM interactions i WHERE i.provider_id = $1 AND i.queued_at >= $2 AND i.queued_at < $3 AND i.queue_id IS NOT NULL";

NpgsqlCommand Command(NpgsqlConnection c, string sql) =>
    new(sql, c) { Parameters = { new() { Value = provider }, new() { Value = start }, new() { Value = end } } };

// Each way answers the number of rows and a checksum over every value, so the three are seen to read the same data.
var ways = new Dictionary<string, Func<NpgsqlConnection, Task<(int Rows, long Sum)>>>
{
    ["rows"] = async c =>
    {
        await using var command = Command(c, "SELECT i.queue_id, i.queued_at, i.answered_at, i.abandoned_at " + Range);
        await using var reader = await command.ExecuteReaderAsync();
        var (rows, sum) = (0, 0L);
        while (await reader.ReadAsync())
        {
            rows++;
            sum += reader.GetInt64(0) + reader.GetDateTime(1).Ticks + (reader.IsDBNull(2) ? 0 : reader.GetDateTime(2).Ticks)
                + (reader.IsDBNull(3) ? 0 : reader.GetDateTime(3).Ticks);
        }
        return (rows, sum);
    },
    ["arrays"] = async c =>
    {
        await using var command = Command(c,
            "SELECT array_agg(i.queue_id), array_agg(i.queued_at), array_agg(i.answered_at), array_agg(i.abandoned_at) " + Range);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.IsDBNull(0))
            return (0, 0);
        var (queues, queued) = (reader.GetFieldValue<long[]>(0), reader.GetFieldValue<DateTime[]>(1));
        var (answered, abandoned) = (reader.GetFieldValue<DateTime?[]>(2), reader.GetFieldValue<DateTime?[]>(3));
        var sum = 0L;
        for (var k = 0; k < queues.Length; k++)
            sum += queues[k] + queued[k].Ticks + (answered[k]?.Ticks ?? 0) + (abandoned[k]?.Ticks ?? 0);
        return (queues.Length, sum);
    },
    ["copy"] = async c =>
    {
        // COPY takes no parameters: the values are ours (numbers and instants), formatted invariantly
        var sql = $"COPY (SELECT i.queue_id, i.queued_at, i.answered_at, i.abandoned_at {Range.Replace("$1", provider.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("$2", $"'{start:O}'").Replace("$3", $"'{end:O}'")}) TO STDOUT (FORMAT BINARY)";
        await using var export = await c.BeginBinaryExportAsync(sql);
        var (rows, sum) = (0, 0L);
        while (await export.StartRowAsync() != -1)
        {
            rows++;
            sum += await export.ReadAsync<long>(NpgsqlDbType.Bigint) + (await export.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz)).Ticks;
            for (var column = 0; column < 2; column++)
                if (export.IsNull)
                    await export.SkipAsync();
                else
                    sum += (await export.ReadAsync<DateTime>(NpgsqlDbType.TimestampTz)).Ticks;
        }
        return (rows, sum);
    },
};

var times = ways.Keys.ToDictionary(k => k, _ => new List<double>());
var answers = new Dictionary<string, (int Rows, long Sum)>();
await using var connection = await dataSource.OpenConnectionAsync();
for (var round = 0; round < 25; round++)
    foreach (var (name, way) in ways)
    {
        var watch = Stopwatch.StartNew();
        answers[name] = await way(connection);
        if (round >= 5)
            times[name].Add(watch.Elapsed.TotalMilliseconds);
    }
Console.WriteLine("| way | rows | p50 ms | min ms | checksum |\n|---|--:|--:|--:|--:|");
foreach (var (name, samples) in times)
{
    samples.Sort();
    Console.WriteLine($"| {name} | {answers[name].Rows} | {samples[samples.Count / 2]:F1} | {samples[0]:F1} | {answers[name].Sum} |");
}
return 0;
