using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>
/// One labelled message of corpus.jsonl. <c>Entities</c> is the expected multiset of entity
/// types (written in text order); <c>Lookalikes</c> are substrings that must survive redaction
/// verbatim; <c>Source</c> is "hand" (hand-written) or "gen" (<see cref="CorpusGenerator"/>).
/// </summary>
public sealed partial record CorpusEntry(
    [property: JsonPropertyName("lang")] string Lang,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("entities")] IReadOnlyList<string> Entities,
    [property: JsonPropertyName("lookalikes")] IReadOnlyList<string>? Lookalikes = null,
    [property: JsonPropertyName("source")] string Source = "gen")
{
    public const string FileName = "corpus.jsonl";

    private static readonly JsonSerializerOptions Json = new()
    {
        // Keep accents and emoji readable in the file (it is meant to be reviewed by humans).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// One JSON line. System.Text.Json escapes characters outside the BMP (emoji) even with the
    /// relaxed encoder; they are put back as-is so the file stays readable. The look-behind makes
    /// sure the backslash is a real escape, not the second half of an escaped "\\".
    /// </summary>
    public string ToJson() =>
        EscapedSurrogatePair().Replace(
            JsonSerializer.Serialize(this, Json),
            m => char.ConvertFromUtf32(char.ConvertToUtf32(
                (char)Convert.ToInt32(m.Groups["high"].Value, 16), (char)Convert.ToInt32(m.Groups["low"].Value, 16))));

    [GeneratedRegex(@"(?<=(?:^|[^\\])(?:\\\\)*)\\u(?<high>D[89AB][0-9A-F]{2})\\u(?<low>D[C-F][0-9A-F]{2})", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedSurrogatePair();

    public static CorpusEntry FromJson(string line) =>
        JsonSerializer.Deserialize<CorpusEntry>(line, Json) ?? throw new InvalidDataException("empty corpus line");

    /// <summary>Loads the corpus copied next to the test assembly (see the csproj None item).</summary>
    public static IReadOnlyList<CorpusEntry> Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Redaction", FileName);
        return [.. File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Select(FromJson)];
    }
}
