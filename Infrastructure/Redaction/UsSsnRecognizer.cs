using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// US SSNs written AAA-GG-SSSS (dashes, or consistently spaces or dots), validated with the
/// SSA rules in <see cref="UsSsn"/>. Nine bare digits are not matched: they are far more often
/// order, invoice or phone numbers than SSNs, and Presidio also scores them lowest.
/// </summary>
internal static partial class UsSsnRecognizer
{
    // \k<sep> forces the same separator twice, so "123-45.6789" or "123 45-6789" do not match.
    // The surrounding look-arounds keep us out of longer digit/dash chains (card numbers,
    // "2024-123-45-6789" style references).
    [GeneratedRegex(
        @"(?<![\w-])(?<area>\d{3})(?<sep>[- .])(?<group>\d{2})\k<sep>(?<serial>\d{4})(?![\w]|[-.]\d)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Pattern();

    public static void Find(string text, List<EntitySpan> sink)
    {
        if (!Prefilter.MayHaveDigit(text))
        {
            return;
        }

        foreach (Match m in Pattern().Matches(text))
        {
            if (UsSsn.IsValid(m.Groups["area"].ValueSpan, m.Groups["group"].ValueSpan, m.Groups["serial"].ValueSpan))
            {
                sink.Add(new EntitySpan(m.Index, m.Length, EntityTypes.UsSsn));
            }
        }
    }
}
