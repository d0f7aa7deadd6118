namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>The Luhn (mod 10) checksum used by every payment card number.</summary>
public static class Luhn
{
    /// <summary>
    /// True when <paramref name="digits"/> (digits only, at least 2) passes the Luhn check.
    /// Random digit strings pass 1 time in 10, so callers combine this with a length and
    /// issuer-prefix check rather than trusting it alone.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> digits)
    {
        if (digits.Length < 2)
        {
            return false;
        }

        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var c = digits[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
