using System.Text.Json;
using Dapper;
using KoopidDashboard.Infrastructure.Database;
using Npgsql;

namespace KoopidDashboard.Features.Ingest;

public sealed record IngestRejection(int Line, string Error);

/// <summary>The ingest answer of SPEC §6: lines stored or changed, lines that changed nothing, and the rejected lines.</summary>
public sealed record IngestResult(int Accepted, int Unchanged, IReadOnlyList<IngestRejection> Rejected);

/// <summary>One input line: its 1-based number and its JSON text.</summary>
public readonly record struct IngestLine(int Number, ReadOnlyMemory<byte> Json);

/// <summary>
/// A batch after parsing, validation and redaction, before the database: its rows, the same rows grouped by table and
/// merged by key, the good lines and the rejections so far.
/// </summary>
public sealed record ParsedBatch(List<IngestRow> Rows, Dictionary<IngestTable, MergedRows> Tables, List<int> GoodLines, List<IngestRejection> Rejected);

/// <summary>
/// SPEC §6 for one batch: every line parsed, validated and redacted on its own (a bad line is reported, the
/// good ones stored), then all good rows written in one transaction, so the answer is read-your-writes.
/// <paramref name="boundProvider"/> is the provider a ProviderAdmin/Ingest credential may write; null for a KoopidAdmin.
/// </summary>
public sealed class IngestPipeline([FromKeyedServices(DatabaseRegistration.Primary)] NpgsqlDataSource db, EventParser parser)
{
    public Task<IngestResult> IngestAsync(IEnumerable<IngestLine> lines, long? boundProvider, CancellationToken ct) =>
        WriteAsync(Parse(lines, boundProvider), ct);

    /// <summary>
    /// The CPU half (no database): callers that stream many batches (the <c>ingest</c> command) parse the next batch
    /// while <see cref="WriteAsync(ParsedBatch, CancellationToken)"/> writes the previous one.
    /// </summary>
    public ParsedBatch Parse(IEnumerable<IngestLine> lines, long? boundProvider)
    {
        var rejected = new List<IngestRejection>();
        var rows = new List<IngestRow>();
        var goodLines = new List<int>();
        foreach (var line in lines)
        {
            try
            {
                // JsonDocument accepts invalid UTF-8 inside string values and only fails (InvalidOperationException → 500) when the
                // string is read: reject such a line here, like any other malformed one.
                if (!System.Text.Unicode.Utf8.IsValid(line.Json.Span))
                    throw new IngestLineException("malformed JSON: the line is not valid UTF-8");
                using var json = JsonDocument.Parse(line.Json, new JsonDocumentOptions { MaxDepth = 16 });
                var parsed = parser.Parse(json.RootElement, line.Number);
                if (boundProvider is { } bound && parsed[0].ProviderId != bound)
                    throw new IngestLineException($"provider {parsed[0].ProviderId} is not writable with these credentials");
                rows.AddRange(parsed);
                goodLines.Add(line.Number);
            }
            catch (JsonException e)
            {
                rejected.Add(new IngestRejection(line.Number, "malformed JSON: " + FirstSentence(e.Message)));
            }
            catch (IngestLineException e)
            {
                rejected.Add(new IngestRejection(line.Number, e.Message));
            }
        }
        return new ParsedBatch(rows, MergedRows.Group(rows), goodLines, rejected);
    }

    /// <summary>
    /// Splits a batch into at most <paramref name="parts"/> batches with disjoint providers and about equal rows, for
    /// writers that run side by side: their provider locks never meet, and each provider's rows stay in one transaction,
    /// in input order. Rejections found while parsing stay with the first part.
    /// </summary>
    public static IReadOnlyList<ParsedBatch> SplitByProvider(ParsedBatch batch, int parts)
    {
        var rowsOf = batch.Rows.GroupBy(r => r.ProviderId).Select(g => (Provider: g.Key, Rows: g.Count())).OrderByDescending(p => p.Rows).ThenBy(p => p.Provider);
        var lanes = Enumerable.Range(0, parts).Select(_ => (Providers: new HashSet<long>(), Rows: 0)).ToArray();
        foreach (var (provider, count) in rowsOf)
        {
            var lightest = Array.IndexOf(lanes, lanes.MinBy(l => l.Rows));
            lanes[lightest].Providers.Add(provider);
            lanes[lightest].Rows += count;
        }
        var used = lanes.Where(l => l.Rows > 0).ToList();
        if (used.Count < 2)
            return [batch];
        return used.Select((lane, i) =>
        {
            var rows = batch.Rows.Where(r => lane.Providers.Contains(r.ProviderId)).ToList();
            return new ParsedBatch(rows, batch.Tables.ToDictionary(t => t.Key, t => t.Value.OnlyProviders(lane.Providers)),
                rows.Select(r => r.Line).Distinct().ToList(), i == 0 ? batch.Rejected : []);
        }).ToList();
    }

    /// <summary>
    /// Creates the months' partitions a batch needs, committed on their own: writers running side by side then never
    /// create a partition (DDL that locks the parent table) inside their transactions. An unused empty partition is harmless.
    /// </summary>
    public async Task EnsurePartitionsAsync(ParsedBatch batch, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        foreach (var (table, merged) in batch.Tables)
            await EventWriter.EnsurePartitionsAsync(connection, table, merged.Values, ct);
    }

    /// <summary>The database half: all good rows of the batch in one transaction.</summary>
    public async Task<IngestResult> WriteAsync(ParsedBatch batch, CancellationToken ct)
    {
        var (rows, tables, goodLines, rejected) = batch;
        var changedLines = await WriteRowsAsync(rows, tables, rejected, ct);
        var rejectedLines = rejected.Select(r => r.Line).ToHashSet();
        var stored = goodLines.Where(l => !rejectedLines.Contains(l)).ToList();
        var accepted = stored.Count(changedLines.Contains);
        return new IngestResult(accepted, stored.Count - accepted, rejected.OrderBy(r => r.Line).ToList());
    }

    private async Task<HashSet<int>> WriteRowsAsync(List<IngestRow> rows, Dictionary<IngestTable, MergedRows> tables, List<IngestRejection> rejected, CancellationToken ct)
    {
        var changedLines = new HashSet<int>();
        if (rows.Count == 0)
            return changedLines;

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One writer per provider at a time: rollup deltas read the stored rows before changing them.
        await Rollups.LockProvidersAsync(connection, rows.Select(r => r.ProviderId), ct);

        await WriteTableAsync(connection, IngestTables.Providers, tables, changedLines, ct);

        // Every other row must name a provider that exists now (stored earlier or in this batch). The fact tables have no
        // foreign key to providers (migration 0013, a per-row check): FOR KEY SHARE keeps these providers until commit.
        var named = rows.Select(r => r.ProviderId).Distinct().ToArray();
        var known = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT provider_id FROM providers WHERE provider_id = ANY(@Named) ORDER BY provider_id FOR KEY SHARE",
            new { Named = named }, transaction, cancellationToken: ct))).ToHashSet();
        var unknownLines = rows.Where(r => !known.Contains(r.ProviderId)).Select(r => (r.Line, r.ProviderId)).Distinct().ToList();
        foreach (var (line, providerId) in unknownLines)
            rejected.Add(new IngestRejection(line, $"unknown provider {providerId}: send its provider event first"));
        // Merged entries share their rows' provider, so dropping unknown providers' entries drops exactly their rows.
        if (unknownLines.Count > 0)
            foreach (var table in tables.Keys.ToList())
                tables[table] = tables[table].OnlyProviders(known);

        var namedBefore = await BotContainment.NamedBeforeAsync(connection, tables, ct);
        var (interactionsAllNew, messagesUpserted) = (false, false);
        foreach (var table in IngestTables.WriteOrder.Skip(1))
        {
            var written = tables.TryGetValue(table, out var merged) && merged.Values.Count > 0;
            var allNew = await WriteTableAsync(connection, table, tables, changedLines, ct);
            interactionsAllNew |= table == IngestTables.Interactions && allNew;
            messagesUpserted |= table == IngestTables.Messages && written && !allNew;
        }
        // botContained joins interactions and bot sessions, first response and the message count interactions and messages:
        // settled once both are written (BotContainment, FirstAgentMessages, MessageCounts); all-new interactions got
        // theirs as they were inserted
        await BotContainment.ApplyAsync(connection, tables, namedBefore, interactionsSettled: interactionsAllNew, ct);
        var namedByMessages = NamedInteractions.OfMessages(tables, interactionsSettled: interactionsAllNew);
        await FirstAgentMessages.SyncInteractionsAsync(connection, namedByMessages, messagesUpserted, ct);
        await MessageCounts.SyncAsync(connection, namedByMessages, messagesUpserted, ct);

        await transaction.CommitAsync(ct);
        return changedLines;
    }

    /// <summary>Writes one table's rows; true when they were all new (the insert-only path).</summary>
    private static async Task<bool> WriteTableAsync(NpgsqlConnection connection, IngestTable table, Dictionary<IngestTable, MergedRows> tables, HashSet<int> changedLines, CancellationToken ct)
    {
        if (!tables.TryGetValue(table, out var merged) || merged.Values.Count == 0)
            return false;
        var write = await EventWriter.UpsertAsync(connection, table, merged.Values, ct);
        merged.AddLinesOf(write.Changed, changedLines);
        return write.AllNew;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
