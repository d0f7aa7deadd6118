namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// US Social Security Number rules published by the SSA: the area (first 3 digits) is never
/// 000, 666 or 900-999, the group (middle 2) is never 00 and the serial (last 4) is never 0000.
/// </summary>
public static class UsSsn
{
    /// <summary>Validates the three parts of an SSN written as AAA-GG-SSSS.</summary>
    public static bool IsValid(ReadOnlySpan<char> area, ReadOnlySpan<char> group, ReadOnlySpan<char> serial)
    {
        if (area.Length != 3 || group.Length != 2 || serial.Length != 4
            || !AllDigits(area) || !AllDigits(group) || !AllDigits(serial))
        {
            return false;
        }

        if (area is "000" or "666" || area[0] == '9')
        {
            return false;
        }

        return group is not "00" && serial is not "0000";
    }

    /// <summary>Validates nine digits, with or without separators (e.g. "123-45-6789", "123456789").</summary>
    public static bool IsValid(string ssn)
    {
        ArgumentNullException.ThrowIfNull(ssn);
        Span<char> digits = stackalloc char[9];
        var n = 0;
        foreach (var c in ssn)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 9)
                {
                    return false;
                }

                digits[n++] = c;
            }
            else if (c is not ('-' or ' ' or '.'))
            {
                return false;
            }
        }

        return n == 9 && IsValid(digits[..3], digits[3..5], digits[5..]);
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
