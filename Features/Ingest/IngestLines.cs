using System.Text.Json;

namespace KoopidDashboard.Features.Ingest;

/// <summary>Splits a body into events: NDJSON (one per line, blank lines skipped but counted) or a JSON array (element n is "line" n).</summary>
public static class IngestLines
{
    public static IReadOnlyList<IngestLine> Split(ReadOnlyMemory<byte> body)
    {
        var span = body.Span;
        var first = span.IndexOfAnyExcept(" \t\r\n"u8);
        if (first < 0)
            return [];
        if (span[first] == (byte)'[' && TrySplitArray(body, out var elements))
            return elements;

        var lines = new List<IngestLine>();
        var number = 0;
        var rest = body;
        while (!rest.IsEmpty)
        {
            number++;
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.Span.IndexOfAnyExcept(" \t\r"u8) >= 0)
                lines.Add(new IngestLine(number, line));
        }
        return lines;
    }

    /// <summary>A body that starts with '[' and parses as one JSON array; otherwise it is read as NDJSON (whose first line may be an array by mistake).</summary>
    private static bool TrySplitArray(ReadOnlyMemory<byte> body, out IReadOnlyList<IngestLine> lines)
    {
        lines = [];
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return false;
            lines = document.RootElement.EnumerateArray()
                .Select((element, index) => new IngestLine(index + 1, JsonSerializer.SerializeToUtf8Bytes(element)))
                .ToList();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
