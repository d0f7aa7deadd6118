using System.Globalization;
using System.Numerics;
using System.Text;

namespace KoopidDashboard.Features.Seed;

/// <summary>
/// Fake personal data that the redactor must find (it validates like Presidio does: Luhn for cards,
/// mod-97 for IBANs, SSA rules for SSNs, libphonenumber validity for phones), plus look-alikes that
/// it must leave alone. Everything is generated from the caller's <see cref="Random"/> so the demo
/// stays deterministic; nothing here belongs to a real person except by coincidence.
/// </summary>
public static class DemoPii
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string[] EmailDomains =
        ["gmail.com", "outlook.com", "yahoo.fr", "web.de", "gmx.de", "hotmail.es", "example.org", "icloud.com", "rediffmail.com"];

    public static string Email(Random r, string first, string last)
    {
        string user = r.Next(4) switch
        {
            0 => $"{first}.{last}",
            1 => $"{first[0]}{last}{r.Next(1, 99).ToString(Inv)}",
            2 => $"{first}_{last}",
            _ => $"{last}.{first}{r.Next(1970, 2006).ToString(Inv)}",
        };
        return Ascii(user).ToLowerInvariant() + "@" + Pick(r, EmailDomains);
    }

    /// <summary>Valid numbers for the provider's country, in national or international format.</summary>
    public static string Phone(Random r, string country, bool international)
    {
        switch (country)
        {
            case "IN": // mobiles start 6–9, ten digits, written 5+5
                string m = r.Next(6, 10).ToString(Inv) + Digits(r, 4);
                string rest = Digits(r, 5);
                return international ? $"+91 {m} {rest}" : $"0{m} {rest}";
            case "DE":
                if (r.Next(2) == 0)
                {
                    string mob = "15" + Pick(r, ["1", "2", "7", "9"]) + Digits(r, 8); // Telekom/Vodafone/O2
                    return international ? $"+49 {mob[..3]} {mob[3..]}" : $"0{mob[..3]} {mob[3..]}";
                }
                string berlin = r.Next(2, 10).ToString(Inv) + Digits(r, 7);
                return international ? $"+49 30 {berlin}" : $"030 {berlin}";
            case "AU":
                string au = "4" + r.Next(0, 4).ToString(Inv) + Digits(r, 7); // 040–043: valid mobile ranges
                return international ? $"+61 {au[..3]} {au[3..6]} {au[6..]}" : $"0{au[..3]} {au[3..6]} {au[6..]}";
            case "FR":
                string fr = "6" + Pick(r, ["0", "1", "2", "4", "5", "6", "7", "8"]) + Digits(r, 7); // 06 mobiles
                string grouped = $"{fr[0]} {fr[1..3]} {fr[3..5]} {fr[5..7]} {fr[7..]}";
                return international ? $"+33 {grouped}" : $"0{grouped}";
            case "ES":
                string es = "6" + Digits(r, 8);
                return international ? $"+34 {es[..3]} {es[3..6]} {es[6..]}" : $"{es[..3]} {es[3..6]} {es[6..]}";
            default: // US: real area codes, exchange 2xx–9xx avoiding N11 and the fictional 555
                string area = Pick(r, ["212", "312", "415", "617", "202", "305", "646", "718", "404", "512"]);
                int ex;
                do ex = r.Next(201, 1000); while (ex % 100 == 11 || ex == 555);
                string line = Digits(r, 4);
                string exs = ex.ToString(Inv);
                return international
                    ? (r.Next(2) == 0 ? $"+1 {area} {exs} {line}" : $"+1-{area}-{exs}-{line}")
                    : (r.Next(2) == 0 ? $"({area}) {exs}-{line}" : $"{area}-{exs}-{line}");
        }
    }

    /// <summary>E.164 form for endpoint addresses.</summary>
    public static string E164(Random r, string country) =>
        new string(Phone(r, country, international: true).Where(c => c == '+' || char.IsAsciiDigit(c)).ToArray());

    /// <summary>Luhn-valid Visa, Mastercard or Amex number, sometimes grouped.</summary>
    public static string CreditCard(Random r)
    {
        string body = r.Next(3) switch
        {
            0 => "4" + Digits(r, 14),
            1 => r.Next(51, 56).ToString(Inv) + Digits(r, 13),
            _ => (r.Next(2) == 0 ? "34" : "37") + Digits(r, 12),
        };
        string pan = body + LuhnCheckDigit(body);
        if (pan.Length == 15 || r.Next(3) == 0) return pan;
        string sep = r.Next(2) == 0 ? " " : "-";
        return string.Join(sep, pan.Chunk(4).Select(c => new string(c)));
    }

    /// <summary>16 digits that look like a card but fail Luhn — a reference number the redactor must keep.</summary>
    public static string NotACard(Random r)
    {
        string body = "4" + Digits(r, 14);
        int wrong = (LuhnCheckDigit(body) + 1 + r.Next(9)) % 10;
        return body + wrong.ToString(Inv);
    }

    public static int LuhnCheckDigit(string digitsWithoutCheck)
    {
        int sum = 0;
        for (int i = 0; i < digitsWithoutCheck.Length; i++)
        {
            int d = digitsWithoutCheck[digitsWithoutCheck.Length - 1 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    public static bool LuhnValid(string number)
    {
        string d = new(number.Where(char.IsAsciiDigit).ToArray());
        return d.Length >= 12 && LuhnCheckDigit(d[..^1]) == d[^1] - '0';
    }

    /// <summary>IBAN with correct ISO 13616 check digits, printed in groups of four half of the time.</summary>
    public static string Iban(Random r, string country)
    {
        string bban = country switch
        {
            "DE" => Digits(r, 18),
            "FR" => Digits(r, 10) + Digits(r, 11) + Digits(r, 2),
            "ES" => Digits(r, 20),
            _ => Pick(r, ["NWBK", "BARC", "LOYD", "HBUK"]) + Digits(r, 14),
        };
        if (country is not ("DE" or "FR" or "ES")) country = "GB";
        int check = 98 - Mod97(bban + country + "00");
        string iban = country + check.ToString("00", Inv) + bban;
        return r.Next(2) == 0 ? iban : string.Join(" ", iban.Chunk(4).Select(c => new string(c)));
    }

    public static bool IbanValid(string iban)
    {
        string s = iban.Replace(" ", "", StringComparison.Ordinal);
        return s.Length >= 15 && Mod97(s[4..] + s[..4]) == 1;
    }

    private static int Mod97(string alnum)
    {
        var sb = new StringBuilder();
        foreach (char c in alnum)
            sb.Append(char.IsAsciiLetter(c) ? (char.ToUpperInvariant(c) - 'A' + 10).ToString(Inv) : c.ToString());
        return (int)(BigInteger.Parse(sb.ToString(), Inv) % 97);
    }

    /// <summary>US SSN that passes the SSA rules (no 000/666/9xx area, no 00 group, no 0000 serial).</summary>
    public static string Ssn(Random r)
    {
        int area;
        do area = r.Next(1, 900); while (area == 666);
        string s = string.Create(Inv, $"{area:000}-{r.Next(1, 100):00}-{r.Next(1, 10000):0000}");
        return r.Next(4) == 0 ? s.Replace('-', ' ') : s;
    }

    public static string Ip(Random r) => r.Next(4) switch
    {
        0 => $"2001:db8:{r.Next(0x10000):x}::{r.Next(1, 0x10000):x}",
        1 => $"192.168.{r.Next(0, 255).ToString(Inv)}.{r.Next(2, 255).ToString(Inv)}",
        _ => $"{Pick(r, ["81.2.69", "203.0.113", "98.137.11", "85.214.132", "49.36.128"])}.{r.Next(1, 255).ToString(Inv)}",
    };

    public static string Url(Random r, string brandDomain) => r.Next(4) switch
    {
        0 => $"https://www.{brandDomain}/orders/{Digits(r, 6)}",
        1 => $"https://bit.ly/{Alnum(r, 7)}",
        2 => $"www.{brandDomain}/help?ref={Alnum(r, 5)}",
        _ => $"http://{Pick(r, ["imgur.com", "drive.google.com", "dropbox.com"])}/{Alnum(r, 10)}",
    };

    // ---- look-alikes the redactor must keep ----

    public static string OrderNumber(Random r) => r.Next(3) switch
    {
        0 => $"#{Digits(r, 7)}",
        1 => $"ORD-{r.Next(2024, 2027).ToString(Inv)}-{Digits(r, 6)}",
        _ => $"A{Digits(r, 3)}-{Digits(r, 4)}",
    };

    /// <summary>UPS-style or postal tracking ids: long but not card-like.</summary>
    public static string Tracking(Random r) => r.Next(2) == 0
        ? $"1Z{Alnum(r, 6).ToUpperInvariant()}{Digits(r, 10)}"
        : $"{Alnum(r, 2).ToUpperInvariant()}{Digits(r, 9)}DE";

    public static string Amount(Random r, string lang)
    {
        decimal v = r.Next(500, 50000) / 100m;
        return lang switch
        {
            "de" or "fr" or "es" => v.ToString("0.00", Inv).Replace('.', ',') + " €",
            _ => "$" + v.ToString("0.00", Inv),
        };
    }

    public static string Date(Random r, string lang)
    {
        var d = new DateOnly(2026, 1, 1).AddDays(r.Next(0, 330));
        return lang switch
        {
            "de" => d.ToString("dd.MM.yyyy", Inv),
            "fr" or "es" => d.ToString("dd/MM/yyyy", Inv),
            _ => r.Next(2) == 0 ? d.ToString("MM/dd/yyyy", Inv) : d.ToString("yyyy-MM-dd", Inv),
        };
    }

    public static string Time(Random r) => string.Create(Inv, $"{r.Next(8, 20):00}:{r.Next(0, 4) * 15:00}");
    public static string Version(Random r) => $"{r.Next(1, 6).ToString(Inv)}.{r.Next(0, 12).ToString(Inv)}.{r.Next(0, 30).ToString(Inv)}";
    public static string PostalCode(Random r) => Digits(r, 5);

    // ---- helpers ----

    internal static string Digits(Random r, int n)
    {
        Span<char> s = stackalloc char[n];
        for (int i = 0; i < n; i++) s[i] = (char)('0' + r.Next(10));
        return new string(s);
    }

    private static string Alnum(Random r, int n)
    {
        const string chars = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        Span<char> s = stackalloc char[n];
        for (int i = 0; i < n; i++) s[i] = chars[r.Next(chars.Length)];
        return new string(s);
    }

    internal static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];

    /// <summary>Strips accents so "José" becomes a plausible mailbox "jose".</summary>
    private static string Ascii(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s.Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_') sb.Append(c);
            else if (c == 'ß') sb.Append("ss");
        return sb.ToString();
    }
}
