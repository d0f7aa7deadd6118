using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// RFC 4180 CSV of a response's buckets or rows: one line per element, the same (camelCase) names as the JSON,
/// nested objects and dictionaries flattened to <c>parent.child</c> columns, nulls as empty cells.
/// </summary>
public static class CsvWriter
{
    /// <summary>The collection to export: <c>rows</c> when asked for (or when there are no buckets), else <c>buckets</c>.</summary>
    public static IEnumerable PickTable(object response, string? which)
    {
        var buckets = Collection(response, "Buckets");
        var rows = Collection(response, "Rows");
        if (string.Equals(which, "rows", StringComparison.OrdinalIgnoreCase))
            return rows ?? buckets ?? Array.Empty<object>();
        // An endpoint without buckets (or with none in this answer) exports its rows rather than an empty table.
        return buckets is not null && (rows is null || buckets.Cast<object>().Any()) ? buckets : rows ?? new[] { response };
    }

    public static string Write(IEnumerable items)
    {
        var flattened = items.Cast<object?>().Select(item => Flatten(item)).ToList();
        var columns = new List<string>();
        var seen = new HashSet<string>();
        foreach (var row in flattened)
            foreach (var key in row.Keys)
                if (seen.Add(key))
                    columns.Add(key);

        var csv = new StringBuilder();
        csv.AppendJoin(',', columns.Select(Escape)).Append("\r\n");
        foreach (var row in flattened)
            csv.AppendJoin(',', columns.Select(c => Escape(row.GetValueOrDefault(c)))).Append("\r\n");
        return csv.ToString();
    }

    private static IEnumerable? Collection(object response, string name) =>
        response.GetType().GetProperty(name)?.GetValue(response) as IEnumerable;

    private static Dictionary<string, string?> Flatten(object? item, string prefix = "", Dictionary<string, string?>? into = null)
    {
        into ??= [];
        if (item is null)
            return into;
        if (IsScalar(item.GetType()))
        {
            into[prefix.Length == 0 ? "value" : prefix] = Format(item);
            return into;
        }
        if (item is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                Add(into, prefix, Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "", entry.Value);
            return into;
        }
        if (item is IEnumerable list)
        {
            into[prefix] = string.Join(';', list.Cast<object?>().Select(Format));
            return into;
        }
        foreach (var property in item.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (property.GetIndexParameters().Length == 0)
                Add(into, prefix, char.ToLowerInvariant(property.Name[0]) + property.Name[1..], property.GetValue(item));
        return into;
    }

    private static void Add(Dictionary<string, string?> into, string prefix, string name, object? value)
    {
        var key = prefix.Length == 0 ? name : prefix + "." + name;
        if (value is null || IsScalar(value.GetType()))
            into[key] = Format(value);
        else
            Flatten(value, key, into);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || Nullable.GetUnderlyingType(type) is { } inner && IsScalar(inner);

    private static string? Format(object? value) => value switch
    {
        null => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>One RFC 4180 cell; public so streaming exports quote exactly like this writer.</summary>
    public static string Escape(string? cell)
    {
        if (string.IsNullOrEmpty(cell))
            return "";
        // Quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
        if (cell[0] is '=' or '+' or '@' || (cell[0] == '-' && !double.TryParse(cell, CultureInfo.InvariantCulture, out _)))
            cell = "'" + cell;
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }
}
