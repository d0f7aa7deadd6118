using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Payment card numbers: 14-19 digits, optionally grouped with spaces or dashes, that pass
/// Luhn and start with a real issuer prefix. Luhn alone passes 10% of random numbers, so the
/// issuer prefix (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro) and the
/// brand's length rules cut the false-positive rate on order/invoice numbers further. 13-digit
/// lengths are deliberately not accepted: they collide with EAN-13 barcodes (e.g. "4006381333931").
/// </summary>
internal static partial class CreditCardRecognizer
{
    // A run of digit groups separated by a single space, NBSP or dash. Runs can be longer than a
    // card (a card followed by an expiry year, an IBAN's digits); sub-runs are tried below.
    [GeneratedRegex(@"(?<!\w)\d+(?:[ \u00A0-]\d+)*(?!\w)", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    public static void Find(string text, List<EntitySpan> sink)
    {
        if (!Prefilter.MayHaveDigit(text))
        {
            return;
        }

        foreach (var m in DigitRun().EnumerateMatches(text))
        {
            if (m.Length >= 13)
            {
                FindInRun(text, m.Index, m.Length, sink);
            }
        }
    }

    private static void FindInRun(string text, int start, int length, List<EntitySpan> sink)
    {
        // Group boundaries inside the run: groupStart[i] .. groupEnd[i]. Runs are short in
        // practice; a pathological run (a log line of digit groups) gets heap arrays.
        var maxGroups = CountSeparators(text.AsSpan(start, length)) + 1;
        Span<int> groupStart = maxGroups <= 32 ? stackalloc int[32] : new int[maxGroups];
        Span<int> groupEnd = maxGroups <= 32 ? stackalloc int[32] : new int[maxGroups];
        var groups = 0;
        var i = start;
        var end = start + length;
        while (i < end)
        {
            var s = i;
            while (i < end && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            groupStart[groups] = s;
            groupEnd[groups] = i;
            groups++;
            i++; // skip the separator
        }

        // Longest candidate first, left to right; once a card is found, continue after it.
        Span<char> digits = stackalloc char[19];
        var first = 0;
        while (first < groups)
        {
            var found = false;
            // A card has at most 19 digits, so at most 19 groups: bound the search window.
            for (var last = Math.Min(groups - 1, first + 18); last >= first && !found; last--)
            {
                var count = Collect(text, groupStart, groupEnd, first, last, digits);
                if (count >= 13 && count <= 19 && IsCard(digits[..count]))
                {
                    sink.Add(new EntitySpan(groupStart[first], groupEnd[last] - groupStart[first], EntityTypes.CreditCard));
                    first = last + 1;
                    found = true;
                }
            }

            if (!found)
            {
                first++;
            }
        }
    }

    private static int CountSeparators(ReadOnlySpan<char> run)
    {
        var n = 0;
        foreach (var c in run)
        {
            if (!char.IsAsciiDigit(c))
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Copies the digits of groups first..last into <paramref name="digits"/>; returns the count, or 0 if over 19.</summary>
    private static int Collect(string text, ReadOnlySpan<int> gs, ReadOnlySpan<int> ge, int first, int last, Span<char> digits)
    {
        var n = 0;
        for (var g = first; g <= last; g++)
        {
            var len = ge[g] - gs[g];
            if (n + len > digits.Length)
            {
                return 0;
            }

            text.AsSpan(gs[g], len).CopyTo(digits[n..]);
            n += len;
        }

        return n;
    }

    /// <summary>Issuer prefix + length (per brand) + Luhn.</summary>
    internal static bool IsCard(ReadOnlySpan<char> d)
    {
        var len = d.Length;
        var two = (d[0] - '0') * 10 + (d[1] - '0');
        var four = int.Parse(d[..4], provider: System.Globalization.CultureInfo.InvariantCulture);
        var six = int.Parse(d[..6], provider: System.Globalization.CultureInfo.InvariantCulture);

        var brandOk =
            (d[0] == '4' && len is 16 or 19)                                        // Visa (13-digit Visa is retired)
            || (two is >= 51 and <= 55 && len == 16)                                 // Mastercard
            || (four is >= 2221 and <= 2720 && len == 16)                            // Mastercard 2-series
            || (two is 34 or 37 && len == 15)                                        // Amex
            || ((four == 6011 || two == 65 || four / 10 is >= 644 and <= 649
                 || six is >= 622126 and <= 622925) && len is >= 16 and <= 19)     // Discover
            || ((two is 36 or 38 || four / 10 is >= 300 and <= 305) && len is >= 14 and <= 19) // Diners
            || (four is >= 3528 and <= 3589 && len is >= 16 and <= 19)              // JCB
            || (two == 62 && len is >= 16 and <= 19)                                 // UnionPay
            || ((two is 50 or (>= 56 and <= 58) || d[0] == '6') && len is >= 16 and <= 19); // Maestro

        return brandOk && Luhn.IsValid(d);
    }
}
