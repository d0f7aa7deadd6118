using System.Buffers;
using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Rules applied after libphonenumber says "valid number": many dates, amounts and reference
/// numbers are valid phone numbers in some region, so how the digits are written decides.
/// </summary>
internal static partial class PhoneFilters
{
    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    // Shapes that are valid phone numbers in some region but are almost always something else:
    // year-prefixed references (2024-000123; no market writes phones 4-digits-first), SSN
    // (123-45-6789), US ZIP+4, dates (08.12.2020), versions (16.9.220), amounts with thousands
    // separators (848.101.109), card-style 4-4-4-4 groups and lists of decimals ("0.45 0.52 0.61").
    [GeneratedRegex(
        @"^(?:(?:19|20)\d\d[-/].*|\d{3}-\d{2}-\d{4}|\d{5}-\d{4}|\d{1,2}(?<a>[./-])\d{1,2}\k<a>\d{2,4}|\d{4}(?<b>[./-])\d{1,2}\k<b>\d{1,2}"
        + @"|\d{1,3}(?:\.\d{1,3}){1,3}|\d{1,3}(?:[.,]\d{3}){2,}|\d{4}(?<c>[ -])\d{4}\k<c>\d{4}\k<c>\d{4}(?:\k<c>\d{1,4})?"
        + @"|\d+[.,]\d+(?: \d+[.,]\d+)+)$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex NonPhoneShape();

    // Words that, shortly before a bare run of digits, say it is a phone number.
    [GeneratedRegex(
        @"phone|\btel\b\.?|\btél|tel[eé]f|m[oó]vil|mobil|\bcell|\bcall|llam|appel|portable|\bhandy|\bruf|anruf|whats\s?app|\bsms|\btext|\bfax|"
        + @"my number|mi n[uú]mero|mon num[eé]ro|meine nummer|contact|kontakt",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PhoneContext();

    // Whole words (5+ letters) recognised with one typo when the regex above misses them.
    private static readonly string[] PhoneWords =
    [
        "phone", "telephone", "téléphone", "telefon", "telefono", "teléfono", "telefonnummer", "handy", "handynummer",
        "mobile", "móvil", "movil", "celular", "portable", "llamadme", "llámame", "llamame", "llamar", "llámanos",
        "appelez", "appelle", "appeler", "anrufen", "whatsapp", "contact", "contacto", "kontakt",
    ];

    /// <param name="text">The original message.</param>
    /// <param name="start">Start of the candidate in <paramref name="text"/>.</param>
    /// <param name="raw">The candidate as written.</param>
    /// <param name="unwrittenCountryCode">The digits only parse with a country code written without "+"/"00".</param>
    public static bool Accept(string text, int start, ReadOnlySpan<char> raw, bool unwrittenCountryCode)
    {
        if (IsPartOfLongerToken(text, start, start + raw.Length))
        {
            return false;
        }

        if (raw.StartsWith('+') || raw.StartsWith("(+") || raw.StartsWith("00"))
        {
            return true;
        }

        if (NonPhoneShape().IsMatch(raw))
        {
            return false;
        }

        // Formatted like a phone number (spaces, dashes, dots, brackets, slashes) or written
        // with a national trunk prefix ("0612345678", "07911123456"): accept.
        if (!unwrittenCountryCode && (raw.ContainsAnyExcept(Digits) || raw.StartsWith('0')))
        {
            return true;
        }

        // A bare run of digits (US "2125550187", ES "612345678") is as likely an order or
        // account number; accept it only when a phone word precedes it in the same sentence.
        return HasPhoneWordBefore(text, start);
    }

    /// <summary>
    /// Looks for a phone word in the same clause before <paramref name="start"/>: at most 40
    /// characters back, and not across a sentence end or other digits (the word then belongs to
    /// that earlier number: "phone: 415-316-2754 and ticket 9126485965").
    /// </summary>
    private static bool HasPhoneWordBefore(string text, int start)
    {
        var windowStart = Math.Max(0, start - 40);
        var window = text.AsSpan(windowStart, start - windowStart);
        window = window[(LastBreak(window) + 1)..];
        if (PhoneContext().IsMatch(window))
        {
            return true;
        }

        foreach (var range in window.SplitAny(" ,;:()/-\u00A0"))
        {
            if (Fuzzy.MatchesAny(window[range].Trim('.'), PhoneWords))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Index of the last digit, '!', '?', newline or sentence-ending '.' in <paramref name="s"/>, or -1.</summary>
    private static int LastBreak(ReadOnlySpan<char> s)
    {
        for (var i = s.Length - 1; i >= 0; i--)
        {
            var c = s[i];
            if (char.IsAsciiDigit(c) || c is '!' or '?' or '\n')
            {
                return i;
            }

            // A '.' followed by a space ends a sentence, unless it closes a short abbreviation ("Tel. ", "Nr. ").
            if (c == '.' && i + 1 < s.Length && char.IsWhiteSpace(s[i + 1]) && WordLengthBefore(s, i) > 4)
            {
                return i;
            }
        }

        return -1;
    }

    private static int WordLengthBefore(ReadOnlySpan<char> s, int end)
    {
        var start = end;
        while (start > 0 && char.IsLetter(s[start - 1]))
        {
            start--;
        }

        return end - start;
    }

    /// <summary>
    /// "#0612345678", "AC-0907127666", "848.101.109,00": the digits continue an identifier or
    /// an amount, so they are not a phone number on their own.
    /// </summary>
    private static bool IsPartOfLongerToken(string text, int start, int end)
    {
        if (start > 0)
        {
            var prev = text[start - 1];
            var beforePrev = start > 1 ? text[start - 2] : ' ';
            if (prev == '#'
                || (prev is '-' or '/' or '_' && char.IsLetterOrDigit(beforePrev))
                || (prev is '.' or ',' or ':' && char.IsAsciiDigit(beforePrev)))
            {
                return true;
            }
        }

        return end + 1 < text.Length && text[end] is '.' or ',' && char.IsAsciiDigit(text[end + 1]);
    }
}
