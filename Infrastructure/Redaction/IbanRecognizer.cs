using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// IBANs, compact or in groups of four, any letter case. The regex only finds "two letters,
/// two digits, then alphanumerics"; the country's registered length decides where the IBAN
/// ends and <see cref="Iban"/> (mod 97) decides whether it is one.
/// </summary>
internal static partial class IbanRecognizer
{
    // Up to 34 alphanumerics after the check digits, allowing one space between characters,
    // so the candidate may run into following words; it is cut to the country length below.
    [GeneratedRegex(@"(?<![\w])[A-Za-z]{2}\d{2}(?:[ \u00A0]?[A-Za-z0-9]){11,32}", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();

    public static void Find(string text, List<EntitySpan> sink)
    {
        // Every candidate has \d{2}; the regex's first step searches letters, so without a digit it would try each one.
        if (!Prefilter.MayHaveDigit(text))
        {
            return;
        }

        // Manual loop rather than EnumerateMatches: a candidate can run on past the IBAN, and
        // the next search must restart where the IBAN really ended (two IBANs in a row).
        Span<char> compact = stackalloc char[34];
        var position = 0;
        while (position < text.Length)
        {
            var m = Candidate().Match(text, position);
            if (!m.Success)
            {
                return;
            }

            position = m.Index + 1;
            var candidate = m.ValueSpan;
            var expected = Iban.ExpectedLength(candidate[..2]);
            if (expected == 0)
            {
                continue;
            }

            // Walk forward until we have the expected number of alphanumerics.
            var n = 0;
            var end = 0;
            while (end < candidate.Length && n < expected)
            {
                var c = candidate[end++];
                if (c is not (' ' or '\u00A0'))
                {
                    compact[n++] = char.ToUpperInvariant(c);
                }
            }

            // Must end on a token boundary: "DE89…3000X" is some other identifier.
            var absoluteEnd = m.Index + end;
            var atBoundary = absoluteEnd == text.Length || !char.IsLetterOrDigit(text[absoluteEnd]);
            if (n == expected && atBoundary && Iban.IsValidCompact(compact[..n]))
            {
                sink.Add(new EntitySpan(m.Index, end, EntityTypes.IbanCode));
                position = absoluteEnd;
            }
        }
    }
}
