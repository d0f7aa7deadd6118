using System.Globalization;
using System.Threading.Channels;
using KoopidDashboard.Features.Ingest;
using KoopidDashboard.Features.Seed;
using KoopidDashboard.Infrastructure.Database;
using KoopidDashboard.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace KoopidDashboard.Infrastructure.Cli;

/// <summary>
/// The operator's commands, run with the same configuration as the service:
/// <c>migrate</c>, <c>seed --demo</c>, <c>ingest FILE</c>, <c>rollups rebuild|words</c>, <c>keys create|list|revoke</c>, <c>token</c>.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["migrate", "seed", "ingest", "rollups", "keys", "token", "help", "--help"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0], StringComparer.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var options = new CommandOptions(args.Skip(1).ToArray());
        try
        {
            return args[0].ToLowerInvariant() switch
            {
                "migrate" => Migrate(services),
                "seed" => await SeedAsync(services, options),
                "ingest" => await IngestFileAsync(services, options),
                "rollups" => await RollupsAsync(services, options),
                "keys" => await KeysAsync(services, options),
                "token" => Token(services, options),
                _ => Help(),
            };
        }
        catch (CommandException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static int Help()
    {
        Console.WriteLine("""
            KoopidDashboard commands (the connection string comes from ConnectionStrings__Koopid):
              migrate                                   apply the database migrations
              seed --demo [--seed N] [--scale X] [--days N]   fill the demo data set
              ingest FILE.ndjson                        load events from a file (same validation and redaction as POST /Ingest/Events)
              rollups rebuild [--provider ID]           recompute the rollups and the word tier from the raw rows (all providers, or one)
              rollups words [--provider ID]             compute the word tier's waiting days now (TopWords; the service does it in the background)
              keys create --role ROLE [--provider ID] [--name TEXT]   create an API key (printed once)
              keys list                                 list keys (never the keys themselves)
              keys revoke ID                            revoke a key
              token --role ROLE [--role ROLE2] [--provider ID] [--hours N]   print a development JWT signed with Auth:SigningKey
            (no command: run the web service; --urls is honoured)
            """);
        return 0;
    }

    private static int Migrate(IServiceProvider services)
    {
        Migrator.Migrate(DatabaseOptions.GetConnectionString(services.GetRequiredService<IConfiguration>()),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("Migrations"));
        Console.WriteLine("Database is up to date.");
        return 0;
    }

    private static async Task<int> SeedAsync(IServiceProvider services, CommandOptions options)
    {
        if (!options.Has("--demo"))
            throw new CommandException("Usage: seed --demo [--seed N] [--scale X] [--days N]");
        Migrate(services);
        var demo = new DemoOptions(
            Seed: options.Int("--seed") ?? 20261125,
            Days: options.Int("--days") ?? 90,
            Scale: options.Double("--scale") ?? 1.0);
        var started = DateTime.UtcNow;
        var total = await IngestInBatchesAsync(services, DemoDataGenerator.Generate(demo).Select(line => System.Text.Encoding.UTF8.GetBytes(line)));
        Console.WriteLine($"Demo data: {total.Lines} events ({total.Accepted} stored, {total.Unchanged} unchanged, {total.Rejected} rejected) in {(DateTime.UtcNow - started).TotalSeconds:F1} s.");
        return total.Rejected == 0 ? 0 : 1;
    }

    private static async Task<int> IngestFileAsync(IServiceProvider services, CommandOptions options)
    {
        var path = options.Positional(0) ?? throw new CommandException("Usage: ingest FILE.ndjson");
        if (!File.Exists(path))
            throw new CommandException($"No such file: {path}");
        var started = DateTime.UtcNow;
        var total = await IngestInBatchesAsync(services, ReadLines(path), printRejections: true);
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        // The rate with and without the closing ANALYZE, whose cost follows the database's size, not the load's.
        var writing = seconds - total.StatisticsSeconds;
        Console.WriteLine($"{total.Lines} lines: {total.Accepted} stored, {total.Unchanged} unchanged, {total.Rejected} rejected in {seconds:F1} s ({total.Lines / Math.Max(seconds, 0.001):F0} lines/s); "
            + $"written in {writing:F1} s ({total.Lines / Math.Max(writing, 0.001):F0} lines/s), planner statistics {total.StatisticsSeconds:F1} s.");
        return total.Rejected == 0 ? 0 : 1;
    }

    /// <summary>
    /// The file's lines as the bytes they are (split at '\n', a trailing '\r' and a leading BOM dropped), without decoding
    /// to UTF-16 and encoding back: cheaper, and a line with invalid UTF-8 is rejected exactly as <c>POST /Ingest/Events</c>
    /// rejects it instead of being stored with U+FFFD in place of the bad bytes.
    /// </summary>
    private static IEnumerable<byte[]> ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[1 << 20];
        var (start, end, first) = (0, 0, true);
        while (true)
        {
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0)
                break;
            end += read;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, end - start)) >= 0)
            {
                yield return Line(buffer, start, newline, ref first);
                start = newline + 1;
            }
            if (start == 0 && end == buffer.Length)
                Array.Resize(ref buffer, buffer.Length * 2); // one line longer than the buffer
            else
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                (end, start) = (end - start, 0);
            }
        }
        if (end > start)
            yield return Line(buffer, start, end, ref first);

        static byte[] Line(byte[] buffer, int from, int to, ref bool first)
        {
            if (first && to - from >= 3 && buffer[from] == 0xEF && buffer[from + 1] == 0xBB && buffer[from + 2] == 0xBF)
                from += 3;
            first = false;
            if (to > from && buffer[to - 1] == (byte)'\r')
                to--;
            return buffer[from..to];
        }
    }

    /// <summary>What a load did; <see cref="StatisticsSeconds"/> is its closing ANALYZE, a cost of the tables' size, not of the load's.</summary>
    private sealed record Totals(int Lines, int Accepted, int Unchanged, int Rejected, double StatisticsSeconds = 0);

    /// <summary>
    /// Streams lines through the ingest pipeline a batch (one transaction) at a time, numbering lines across the whole input.
    /// Reading, parsing and redacting batch n + 1 (one thread) overlaps writing batch n (the database). A batch is written
    /// by <c>Ingest:FileWriters</c> connections side by side, each one transaction over a disjoint set of providers; the
    /// next batch starts when all have committed. So every provider's rows land in input order and the result equals the
    /// sequential load (rollups included: they are per provider, under the provider lock).
    /// </summary>
    private static async Task<Totals> IngestInBatchesAsync(IServiceProvider services, IEnumerable<byte[]> lines, bool printRejections = false)
    {
        var pipeline = services.GetRequiredService<IngestPipeline>();
        var options = services.GetRequiredService<IOptions<IngestOptions>>().Value;
        // A throughput job on a small machine: background (concurrent) GC threads would take CPU from parsing and PostgreSQL.
        System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
        var batchSize = options.FileBatchLines;
        // One parsed batch waiting is enough to keep the writer busy; more would only hold memory.
        var parsed = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var number = 0;
        using var stop = new CancellationTokenSource(); // the writer failed: the reader must not wait for it forever
        var producer = Task.Run(() =>
        {
            try
            {
                var batch = new List<IngestLine>(batchSize);
                foreach (var line in lines)
                {
                    number++;
                    if (line.AsSpan().IndexOfAnyExcept(" \t\r"u8) < 0)
                        continue;
                    batch.Add(new IngestLine(number, line));
                    if (batch.Count == batchSize)
                    {
                        Publish(batch);
                        batch = new List<IngestLine>(batchSize);
                    }
                }
                if (batch.Count > 0)
                    Publish(batch);
                parsed.Writer.Complete();
            }
            catch (Exception e)
            {
                parsed.Writer.Complete(e);
            }

            void Publish(List<IngestLine> batch)
            {
                var result = pipeline.Parse(batch, boundProvider: null);
                // Blocking is right here: this thread only produces, and must wait while the writer is behind.
                if (!parsed.Writer.TryWrite(result))
                    parsed.Writer.WriteAsync(result, stop.Token).AsTask().GetAwaiter().GetResult();
            }
        });

        var totals = new Totals(0, 0, 0, 0);
        try
        {
            await foreach (var batch in parsed.Reader.ReadAllAsync())
            {
                var parts = IngestPipeline.SplitByProvider(batch, Math.Max(1, options.FileWriters));
                if (parts.Count > 1)
                    await pipeline.EnsurePartitionsAsync(batch, CancellationToken.None);
                var results = await Task.WhenAll(parts.Select(part => pipeline.WriteAsync(part, CancellationToken.None)));
                var result = new IngestResult(results.Sum(r => r.Accepted), results.Sum(r => r.Unchanged),
                    results.SelectMany(r => r.Rejected).OrderBy(r => r.Line).ToList());
                if (printRejections)
                    foreach (var rejection in result.Rejected)
                        await Console.Error.WriteLineAsync($"line {rejection.Line}: {rejection.Error}");
                totals = totals with
                {
                    Accepted = totals.Accepted + result.Accepted,
                    Unchanged = totals.Unchanged + result.Unchanged,
                    Rejected = totals.Rejected + result.Rejected.Count,
                };
            }
        }
        finally
        {
            stop.Cancel();
            await producer.ContinueWith(_ => { }, TaskScheduler.Default); // its own failure surfaced through the channel
        }
        // A bulk load changes the data's shape faster than autovacuum notices; plan the next queries on fresh statistics.
        var statistics = System.Diagnostics.Stopwatch.StartNew();
        if (totals.Accepted > 0)
            await PlannerStatistics.RefreshAsync(services.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(DatabaseRegistration.Primary), CancellationToken.None);
        return totals with { Lines = number, StatisticsSeconds = statistics.Elapsed.TotalSeconds };
    }

    /// <summary>
    /// <c>rollups rebuild [--provider ID]</c>: each provider in its own transaction, under the same per-provider lock ingest
    /// takes, so a rebuild never races a batch and readers see the old or the new rollups, never a mix.
    /// </summary>
    private static async Task<int> RollupsAsync(IServiceProvider services, CommandOptions options)
    {
        var db = services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        if (options.Positional(0) == "words")
        {
            // what the service's worker does in the background, all at once: the bench runs it after a load
            var wordsStarted = DateTime.UtcNow;
            var days = await MessageWords.CatchUpAsync(db, options.Long("--provider"), CancellationToken.None);
            Console.WriteLine($"Word tier: {days} waiting day(s) recomputed in {(DateTime.UtcNow - wordsStarted).TotalSeconds:F1} s.");
            return 0;
        }
        if (options.Positional(0) != "rebuild")
            throw new CommandException("Usage: rollups rebuild|words [--provider ID]");
        await using var connection = await db.OpenConnectionAsync();
        var providers = options.Long("--provider") is { } one
            ? [one]
            : (await Dapper.SqlMapper.QueryAsync<long>(connection, "SELECT provider_id FROM providers ORDER BY provider_id")).ToList();
        var started = DateTime.UtcNow;
        long rows = 0;
        foreach (var providerId in providers)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await Rollups.LockProvidersAsync(connection, [providerId], CancellationToken.None);
            // the stored botContained flags, message counts and first agent message copies first: the interaction rollups sum them
            await BotContainment.RebuildAsync(connection, providerId, CancellationToken.None);
            await MessageCounts.RebuildAsync(connection, providerId, CancellationToken.None);
            rows += await FirstAgentMessages.RebuildAsync(connection, providerId, CancellationToken.None);
            foreach (var rollup in Rollups.All)
                rows += await Rollups.RebuildAsync(connection, rollup, providerId, null, null, CancellationToken.None);
            rows += await CustomerFirsts.RebuildAsync(connection, providerId, CancellationToken.None);
            await MessageWords.ResetAsync(connection, providerId, CancellationToken.None);
            await transaction.CommitAsync();
            // the word tier is tokenised in C#, after the reset commits (MessageWords): each pass takes the provider's lock again
            await MessageWords.CatchUpAsync(db, providerId, CancellationToken.None);
        }
        Console.WriteLine($"Rollups rebuilt for {providers.Count} provider(s): {rows} rows in {(DateTime.UtcNow - started).TotalSeconds:F1} s.");
        return 0;
    }

    private static async Task<int> KeysAsync(IServiceProvider services, CommandOptions options)
    {
        var store = services.GetRequiredService<ApiKeyStore>();
        switch (options.Positional(0))
        {
            case "create":
                var role = options.String("--role") ?? throw new CommandException("Usage: keys create --role ROLE [--provider ID] [--name TEXT]");
                try
                {
                    var (key, record) = await store.CreateAsync(role, options.Long("--provider"), options.String("--name"));
                    Console.Error.WriteLine($"Created key {record.KeyId} ({record.Role}{(record.ProviderId is { } p ? $", provider {p}" : "")}). It is shown once:");
                    Console.WriteLine(key);
                    return 0;
                }
                catch (ArgumentException e)
                {
                    throw new CommandException(e.Message);
                }
            case "list":
                Console.WriteLine("id\tprefix\trole\tprovider\tname\tcreated\trevoked");
                foreach (var k in await store.ListAsync())
                    Console.WriteLine(string.Join('\t', k.KeyId, k.KeyPrefix + "…", k.Role, k.ProviderId, k.Name, k.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                        k.RevokedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-"));
                return 0;
            case "revoke":
                var id = long.TryParse(options.Positional(1), CultureInfo.InvariantCulture, out var keyId) ? keyId : throw new CommandException("Usage: keys revoke ID");
                if (!await store.RevokeAsync(id))
                    throw new CommandException($"No active key with id {id}.");
                Console.WriteLine($"Revoked key {id}.");
                return 0;
            default:
                throw new CommandException("Usage: keys create|list|revoke");
        }
    }

    private static int Token(IServiceProvider services, CommandOptions options)
    {
        var roles = options.Strings("--role");
        if (roles.Count == 0 || roles.Any(r => !KoopidRoles.All.Contains(r)))
            throw new CommandException($"Usage: token --role {string.Join("|", KoopidRoles.All)} [--provider ID] [--hours N]");
        var provider = options.Long("--provider");
        if (roles.Any(r => r != KoopidRoles.KoopidAdmin) && provider is null)
            throw new CommandException("A ProviderAdmin or Ingest token needs --provider.");
        var hours = options.Double("--hours");
        Console.WriteLine(services.GetRequiredService<TokenIssuer>().Issue(roles, provider, subject: "cli",
            lifetime: hours is { } h ? TimeSpan.FromHours(h) : null));
        return 0;
    }
}

public sealed class CommandException(string message) : Exception(message);

/// <summary>Just enough option parsing for the commands above: <c>--name value</c> pairs, flags and positionals.</summary>
internal sealed class CommandOptions(string[] args)
{
    public bool Has(string flag) => args.Contains(flag, StringComparer.OrdinalIgnoreCase);

    public List<string> Strings(string name)
    {
        var values = new List<string>();
        for (var i = 0; i < args.Length - 1; i++)
            if (string.Equals(args[i], name, StringComparison.OrdinalIgnoreCase))
                values.Add(args[i + 1]);
        return values;
    }

    public string? String(string name) => Strings(name).LastOrDefault();

    public long? Long(string name) => String(name) is { } s
        ? long.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : throw new CommandException($"{name} must be an integer")
        : null;

    public int? Int(string name) => Long(name) is { } v ? checked((int)v) : null;

    public double? Double(string name) => String(name) is { } s
        ? double.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : throw new CommandException($"{name} must be a number")
        : null;

    public string? Positional(int index)
    {
        var positionals = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i] != "--demo")
                    i++;
                continue;
            }
            positionals.Add(args[i]);
        }
        return index < positionals.Count ? positionals[index] : null;
    }
}
