namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>Typo-tolerant word comparison for the cue words (phone words, version words).</summary>
internal static class Fuzzy
{
    /// <summary>
    /// True when <paramref name="word"/> equals one of <paramref name="words"/> (case-insensitive)
    /// or, for words of 5+ letters, is one edit away (insertion, deletion, substitution or swap of
    /// two neighbours: "Teelfon", "tleéfono", "lamadme", "frimware"). Short words must be exact,
    /// since one edit turns most short words into other words.
    /// </summary>
    public static bool MatchesAny(ReadOnlySpan<char> word, ReadOnlySpan<string> words)
    {
        if (word.IsEmpty || word.Length > 24)
        {
            return false;
        }

        Span<char> lower = stackalloc char[word.Length];
        word.ToLowerInvariant(lower);
        foreach (var candidate in words)
        {
            if (lower.SequenceEqual(candidate)
                || (lower.Length >= 5 && Math.Abs(lower.Length - candidate.Length) <= 1 && WithinOneEdit(lower, candidate)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Optimal-string-alignment distance &lt;= 1.</summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        a = a[prefix..];
        b = b[prefix..];
        if (a.Length == b.Length)
        {
            return a.Length <= 1
                || a[1..].SequenceEqual(b[1..])
                || (a[0] == b[1] && a[1] == b[0] && a[2..].SequenceEqual(b[2..]));
        }

        if (Math.Abs(a.Length - b.Length) != 1)
        {
            return false;
        }

        return a.Length > b.Length ? a[1..].SequenceEqual(b) : b[1..].SequenceEqual(a);
    }
}
