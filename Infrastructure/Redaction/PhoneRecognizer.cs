using System.Buffers;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Phone numbers via libphonenumber: <see cref="PhoneNumberUtil.FindNumbers(string, string, PhoneNumberUtil.Leniency, long)"/>
/// with <see cref="PhoneNumberUtil.Leniency.VALID"/> once per region hint, so national formats
/// of each region are found and international ("+44 …", "0034 …") ones under any hint. Only
/// numbers libphonenumber considers valid are kept; <see cref="PhoneFilters"/> then removes
/// look-alikes that happen to be valid numbers somewhere (dates, amounts, references).
/// </summary>
internal sealed partial class PhoneRecognizer
{
    /// <summary>Regions whose national formats are recognised (the product's markets plus US).</summary>
    public static readonly IReadOnlyList<string> DefaultRegions = ["US", "GB", "ES", "FR", "DE"];

    // Bounds the matcher's work on huge, digit-heavy input (a pasted log); far above what a
    // chat message produces, so it never limits recall on normal messages.
    private const long MaxTries = 10_000;

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    private readonly PhoneNumberUtil _util = PhoneNumberUtil.GetInstance();
    private readonly string[] _regions;

    public PhoneRecognizer(IEnumerable<string> regions) => _regions = [.. regions];

    // Times and dates: blanked before the matcher runs, because it happily glues them to a
    // following number ("22:38:34 / 955 91 40 22" comes back as "34 / 955 91 40 22").
    [GeneratedRegex(
        @"(?<![\d./:-])(?:\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}(?<s>[./-])\d{1,2}\k<s>\d{2,4}|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?Z?)?)(?![./:-]?\d)",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex TimeOrDate();

    /// <summary>Adds phone numbers to <paramref name="sink"/>; spans already in it (other entities) are not searched.</summary>
    public void Find(string text, List<EntitySpan> sink)
    {
        // The cheapest possible pre-filter: no phone number has fewer than 7 digits.
        if (!HasAtLeastDigits(text, 7))
        {
            return;
        }

        var searchable = MaskNonPhoneText(text, sink);
        var before = sink.Count;
        foreach (var region in _regions)
        {
            foreach (var match in _util.FindNumbers(searchable, region, PhoneNumberUtil.Leniency.VALID, MaxTries))
            {
                // The matcher sometimes includes a leading space (e.g. after "… / "): trim it.
                var raw = match.RawString.AsSpan();
                var start = match.Start + (raw.Length - raw.TrimStart().Length);
                raw = raw.Trim();
                if (!Seen(sink, before, start, raw.Length)
                    && PhoneFilters.Accept(text, start, raw, HasUnwrittenCountryCode(raw, match.Number)))
                {
                    sink.Add(new EntitySpan(start, raw.Length, EntityTypes.PhoneNumber));
                }
            }
        }
    }

    /// <summary>
    /// Copy of <paramref name="text"/> with other entities, times and dates replaced by spaces
    /// (same length, so offsets still match); the original string when there is nothing to hide.
    /// </summary>
    private static string MaskNonPhoneText(string text, List<EntitySpan> others)
    {
        var timesAndDates = TimeOrDate().Count(text);
        if (others.Count == 0 && timesAndDates == 0)
        {
            return text;
        }

        var chars = text.ToCharArray();
        foreach (var span in others)
        {
            chars.AsSpan(span.Start, span.Length).Fill(' ');
        }

        if (timesAndDates > 0)
        {
            foreach (var m in TimeOrDate().EnumerateMatches(text))
            {
                chars.AsSpan(m.Index, m.Length).Fill(' ');
            }
        }

        return new string(chars);
    }

    /// <summary>
    /// True when a number without "+" or "00" only parses because its digits start with the
    /// region's country code ("4954 5458 1405 1643" read as +49 …). People do not write their
    /// own number that way; card-like references are written that way all the time.
    /// </summary>
    private bool HasUnwrittenCountryCode(ReadOnlySpan<char> raw, PhoneNumber number)
    {
        if (raw.StartsWith('+') || raw.StartsWith("(+") || raw.StartsWith("00"))
        {
            return false;
        }

        Span<char> digits = stackalloc char[raw.Length];
        var n = 0;
        foreach (var c in raw)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[n++] = c;
            }
        }

        var nsn = _util.GetNationalSignificantNumber(number);
        var prefix = n - nsn.Length;

        // Allowed leftovers before the national number: nothing, a trunk "0", or the US "1".
        return prefix > 1 || (prefix == 1 && digits[0] is not ('0' or '1'));
    }

    private static bool HasAtLeastDigits(ReadOnlySpan<char> text, int minimum)
    {
        var index = 0;
        while (minimum > 0 && (index = text.IndexOfAny(Digits)) >= 0)
        {
            minimum--;
            text = text[(index + 1)..];
        }

        return minimum == 0;
    }

    private static bool Seen(List<EntitySpan> sink, int from, int start, int length)
    {
        for (var i = from; i < sink.Count; i++)
        {
            if (sink[i].Start == start && sink[i].Length == length)
            {
                return true;
            }
        }

        return false;
    }
}
