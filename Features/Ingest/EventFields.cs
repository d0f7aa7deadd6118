using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace KoopidDashboard.Features.Ingest;

/// <summary>A line that cannot be stored, with the reason the caller sees next to its line number.</summary>
public sealed class IngestLineException(string reason) : Exception(reason);

/// <summary>Reads one event's fields with the type and range checks of docs/ingest.md; every failure names the field.</summary>
public sealed partial class EventFields(JsonElement json)
{
    private const int MaxShortText = 200;

    public long Id(string name) => OptionalId(name) ?? throw Missing(name);

    public long? OptionalId(string name)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var id))
            throw new IngestLineException($"{name} must be an integer id");
        return id > 0 ? id : throw new IngestLineException($"{name} must be a positive integer");
    }

    public int? OptionalInt(string name, int min, int max)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw new IngestLineException($"{name} must be an integer");
        return number >= min && number <= max ? number : throw new IngestLineException($"{name} must be between {min} and {max}");
    }

    public double? OptionalDouble(string name, double min, double max)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
            throw new IngestLineException($"{name} must be a number");
        return number >= min && number <= max ? number : throw new IngestLineException($"{name} must be between {min} and {max}");
    }

    public string Text(string name, int maxLength = MaxShortText) => OptionalText(name, maxLength) ?? throw Missing(name);

    public string? OptionalText(string name, int maxLength = MaxShortText)
    {
        if (!TryGet(name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new IngestLineException($"{name} must be a string");
        var text = value.GetString()!;
        if (text.Length > maxLength)
            throw new IngestLineException($"{name} is longer than {maxLength} characters");
        // PostgreSQL text cannot hold U+0000; refuse the line rather than silently altering it.
        if (text.Contains('\0'))
            throw new IngestLineException($"{name} contains a NUL character");
        return text;
    }

    public string OneOf(string name, IReadOnlySet<string> allowed) => OptionalOneOf(name, allowed) ?? throw Missing(name);

    public string? OptionalOneOf(string name, IReadOnlySet<string> allowed)
    {
        var text = OptionalText(name);
        if (text is null)
            return null;
        // The set's own instance: a batch keeps one string per value instead of one per row (less for the GC to move).
        if (allowed.Contains(text))
            return allowed is HashSet<string> set && set.TryGetValue(text, out var known) ? known : text;
        throw new IngestLineException($"{name} '{Truncate(text)}' is not one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
    }

    public DateTime Time(string name) => OptionalTime(name) ?? throw Missing(name);

    /// <summary>RFC 3339 with an explicit offset (Z or ±hh:mm); stored as UTC.</summary>
    public DateTime? OptionalTime(string name)
    {
        var text = OptionalText(name, 40);
        if (text is null)
            return null;
        if (TryParseUtcSeconds(text, out var utc))
            return utc;
        if (!Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
            throw new IngestLineException($"{name} must be an RFC 3339 timestamp with offset, e.g. 2026-03-08T09:15:00-05:00");
        return moment.UtcDateTime;
    }

    /// <summary>
    /// The common shape <c>yyyy-MM-ddTHH:mm:ssZ</c> without the regex and the general parser: the same instant they give.
    /// Anything else, or a field out of its calendar range, takes the general path (which accepts or rejects it).
    /// </summary>
    private static bool TryParseUtcSeconds(string s, out DateTime utc)
    {
        utc = default;
        if (s.Length != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
            return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        utc = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        return true;

        static bool Digits(string s, int from, int count, out int value)
        {
            value = 0;
            for (var i = from; i < from + count; i++)
            {
                if (!char.IsAsciiDigit(s[i]))
                    return false;
                value = value * 10 + (s[i] - '0');
            }
            return true;
        }
    }

    private bool TryGet(string name, out JsonElement value) =>
        json.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static IngestLineException Missing(string name) => new($"missing field {name}");

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
