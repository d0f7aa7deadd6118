using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>E-mail addresses: a pragmatic subset of RFC 5322 that covers what people type.</summary>
internal static partial class EmailRecognizer
{
    // Local part: dot-separated atoms (so "a..b@" and a trailing dot are not swallowed).
    // Domain: labels of letters/digits/hyphens and an alphabetic TLD of 2+ letters; \p{L}
    // accepts internationalised domains (e.g. "müller.de"). The look-behind stops us starting
    // in the middle of a longer token; the look-ahead stops "a@b.co" matching inside "a@b.com".
    [GeneratedRegex(
        @"(?<![\w.%+-])[\w%+-]+(?:\.[\w%+-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\w-])",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static void Find(string text, List<EntitySpan> sink)
    {
        if (!text.Contains('@', StringComparison.Ordinal))
        {
            return;
        }

        foreach (var m in Pattern().EnumerateMatches(text))
        {
            sink.Add(new EntitySpan(m.Index, m.Length, EntityTypes.Email));
        }
    }
}
