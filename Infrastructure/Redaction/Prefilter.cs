using System.Text;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Cheap, exact tests that a recogniser's regex cannot match, run before the regex (most chat messages have no digits
/// and no domain-like dot). Conservative by construction: they only say "no" when no match is possible, so the output is
/// the same as running the regex (the redaction corpus and tests pin this).
/// </summary>
internal static class Prefilter
{
    /// <summary>
    /// False only when <paramref name="text"/> certainly has no <c>\d</c>: no ASCII digit and no non-ASCII character
    /// (regex <c>\d</c> is every Unicode decimal digit, so non-ASCII text always goes to the regex).
    /// </summary>
    public static bool MayHaveDigit(string text) =>
        text.AsSpan().IndexOfAnyInRange('0', '9') >= 0 || !Ascii.IsValid(text);

    /// <summary>
    /// False only when no URL shape can match: every match with a scheme contains "://", and every "www." or bare-domain
    /// match contains a dot followed by a word character or '-' (non-ASCII counts as a possible word character).
    /// </summary>
    public static bool MayHaveUrl(string text)
    {
        if (text.Contains("://", StringComparison.Ordinal))
            return true;
        var span = text.AsSpan();
        for (var at = span.IndexOf('.'); at >= 0 && at + 1 < span.Length; at = NextDot(span, at + 1))
        {
            var next = span[at + 1];
            if (next > 127 || char.IsAsciiLetterOrDigit(next) || next is '_' or '-')
                return true;
        }
        return false;

        static int NextDot(ReadOnlySpan<char> s, int from)
        {
            var i = s[from..].IndexOf('.');
            return i < 0 ? -1 : from + i;
        }
    }
}
