using System.Collections.Frozen;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// IBAN validation (ISO 13616): known country code, the exact length registered for that
/// country, and the ISO 7064 mod-97-10 check (the number, with its first four characters moved
/// to the end and letters turned into 10..35, leaves remainder 1 when divided by 97).
/// </summary>
public static class Iban
{
    // Lengths from the SWIFT IBAN registry. A length check rejects most random alphanumerics
    // before the (cheap anyway) checksum runs, and lets the recogniser cut a candidate that
    // runs on into following words (e.g. "... 0130 00 BIC COBADEFF") at the right place.
    private static readonly FrozenDictionary<string, int> LengthByCountry = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16,
        ["BG"] = 22, ["BH"] = 22, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28,
        ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24,
        ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18,
        ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23,
        ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32,
        ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22,
        ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18, ["NO"] = 15, ["PK"] = 24,
        ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24,
        ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registered IBAN length for a two-letter country code, or 0 if unknown.</summary>
    public static int ExpectedLength(ReadOnlySpan<char> countryCode)
    {
        var lookup = LengthByCountry.GetAlternateLookup<ReadOnlySpan<char>>();
        return countryCode.Length == 2 && lookup.TryGetValue(countryCode, out var length) ? length : 0;
    }

    /// <summary>
    /// True for a valid IBAN. Spaces are ignored and letters may be any case, because people
    /// paste IBANs in groups of four and sometimes in lower case.
    /// </summary>
    public static bool IsValid(string? iban)
    {
        if (string.IsNullOrEmpty(iban))
        {
            return false;
        }

        Span<char> compact = stackalloc char[34];
        var n = 0;
        foreach (var c in iban)
        {
            if (c == ' ')
            {
                continue;
            }

            if (n == compact.Length || !char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            compact[n++] = char.ToUpperInvariant(c);
        }

        return IsValidCompact(compact[..n]);
    }

    /// <summary>Validates an IBAN with no separators; letters must already be upper case.</summary>
    internal static bool IsValidCompact(ReadOnlySpan<char> iban)
    {
        if (iban.Length < 15 || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3])
            || ExpectedLength(iban[..2]) != iban.Length)
        {
            return false;
        }

        // Piecewise mod 97 over the rearranged string: no big integers, no allocation.
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetterUpper(c))
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }
}
