using System.Globalization;
using System.Text;
using KoopidDashboard.Infrastructure.Redaction;
using PhoneNumbers;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>
/// Random but valid PII values, and look-alikes that must not be redacted, for the generated
/// part of the corpus. Everything is driven by the caller's seeded <see cref="Random"/>.
/// </summary>
internal sealed class CorpusValues(Random rng)
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();
    private static readonly string[] First = ["ana", "john", "marie", "jürgen", "lucía", "pierre", "emma", "hans", "sofía", "oliver", "chloé", "max", "carmen", "noah", "léa", "jose"];
    private static readonly string[] Last = ["garcia", "smith", "dupont", "müller", "lopez", "martin", "schmidt", "fernandez", "brown", "bernard", "weber", "moreno"];
    private static readonly string[] Domains = ["gmail.com", "outlook.es", "orange.fr", "web.de", "gmx.de", "yahoo.co.uk", "example.org", "empresa.com.mx", "t-online.de", "hotmail.fr", "proton.me", "koopid-mail.io", "correo.es", "uni-hamburg.de"];

    private string Pick(string[] items) => items[rng.Next(items.Length)];

    private string Digits(int n)
    {
        var sb = new StringBuilder(n);
        for (var i = 0; i < n; i++)
        {
            sb.Append((char)('0' + rng.Next(10)));
        }

        return sb.ToString();
    }

    public string Email()
    {
        var f = Pick(First);
        var l = Pick(Last);
        var local = rng.Next(6) switch
        {
            0 => $"{f}.{l}",
            1 => $"{f}_{l}{rng.Next(1, 99)}",
            2 => $"{f[0]}{l}",
            3 => $"{f}+shop",
            4 => $"{f}.{l}".ToUpperInvariant(),
            _ => $"{l}{rng.Next(1970, 2005)}",
        };
        return $"{local}@{Pick(Domains)}";
    }

    /// <summary>A libphonenumber-valid number; <c>Bare</c> when written as digits only without a trunk 0 or +.</summary>
    public (string Text, bool Bare) Phone()
    {
        string[] regions = ["US", "GB", "ES", "FR", "DE"];
        while (true)
        {
            var region = Pick(regions);
            var national = region switch
            {
                "US" => Pick(["212", "415", "646", "312", "617", "305", "202", "718", "213", "512"]) + rng.Next(2, 10) + Digits(2) + Digits(4),
                "GB" => rng.Next(2) == 0 ? "07" + rng.Next(4, 10) + Digits(8) : "020" + rng.Next(7, 9) + Digits(7),
                "ES" => SpanishNational(),
                "FR" => "0" + Pick(["1", "2", "3", "4", "5", "6", "7", "9"]) + Digits(8),
                _ => rng.Next(2) == 0 ? "01" + Pick(["51", "52", "60", "70", "76"]) + Digits(8) : Pick(["030", "089", "040", "069"]) + Digits(rng.Next(7, 9)),
            };
            var number = Phones.Parse(national, region);
            if (!Phones.IsValidNumber(number))
            {
                continue;
            }

            var style = rng.Next(8);
            var text = style switch
            {
                0 => Phones.Format(number, PhoneNumberFormat.E164),
                1 or 2 => Phones.Format(number, PhoneNumberFormat.INTERNATIONAL),
                3 or 4 => Phones.Format(number, PhoneNumberFormat.NATIONAL),
                5 => region == "US" ? Phones.Format(number, PhoneNumberFormat.NATIONAL).Replace("(", "").Replace(") ", "-") : "00" + Phones.Format(number, PhoneNumberFormat.E164)[1..],
                6 => region == "FR" ? Phones.Format(number, PhoneNumberFormat.NATIONAL).Replace(' ', '.') : Phones.Format(number, PhoneNumberFormat.INTERNATIONAL).Replace(' ', '-'),
                _ => national,
            };
            return (text, text == national && !national.StartsWith('0'));
        }
    }

    private string SpanishNational()
    {
        var prefix = Pick(["6", "7", "91", "93", "95"]);
        return prefix + Digits(9 - prefix.Length);
    }

    public string Card()
    {
        var (prefix, length) = rng.Next(5) switch
        {
            0 or 1 => ("4" + Digits(3), 16),
            2 => ((51 + rng.Next(5)).ToString(CultureInfo.InvariantCulture) + Digits(2), 16),
            3 => (rng.Next(2) == 0 ? "34" : "37", 15),
            _ => (rng.Next(2) == 0 ? "6011" : "2" + (221 + rng.Next(499)).ToString(CultureInfo.InvariantCulture), 16),
        };
        var body = prefix + Digits(length - prefix.Length - 1);
        var digits = body + LuhnDigit(body);
        var sep = Pick([" ", "-", "", " "]);
        return length == 15
            ? string.Join(sep, digits[..4], digits[4..10], digits[10..])
            : string.Join(sep, digits[..4], digits[4..8], digits[8..12], digits[12..]);
    }

    public static char LuhnDigit(string body)
    {
        for (var d = '0'; d <= '9'; d++)
        {
            if (Luhn.IsValid(body + d))
            {
                return d;
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    public string Iban()
    {
        var (country, bban) = rng.Next(5) switch
        {
            0 => ("DE", Digits(18)),
            1 => ("FR", Digits(10) + Digits(11) + Digits(2)),
            2 => ("ES", Digits(20)),
            3 => ("GB", Pick(["NWBK", "BARC", "MIDL", "LOYD"]) + Digits(14)),
            _ => ("NL", Pick(["ABNA", "INGB", "RABO"]) + Digits(10)),
        };
        var check = 98 - Mod97(bban + country + "00");
        var compact = country + check.ToString("00", CultureInfo.InvariantCulture) + bban;
        if (rng.Next(3) == 0)
        {
            return compact;
        }

        var groups = Enumerable.Range(0, (compact.Length + 3) / 4).Select(i => compact.Substring(i * 4, Math.Min(4, compact.Length - (i * 4))));
        return string.Join(' ', groups);
    }

    private static int Mod97(string s)
    {
        var r = 0;
        foreach (var c in s)
        {
            r = char.IsAsciiDigit(c) ? ((r * 10) + (c - '0')) % 97 : ((r * 100) + (c - 'A' + 10)) % 97;
        }

        return r;
    }

    public string Ssn()
    {
        int area;
        do
        {
            area = rng.Next(1, 900);
        }
        while (area == 666);

        var sep = rng.Next(6) == 0 ? " " : "-";
        return string.Create(CultureInfo.InvariantCulture, $"{area:000}{sep}{rng.Next(1, 100):00}{sep}{rng.Next(1, 10000):0000}");
    }

    public string Url() => rng.Next(7) switch
    {
        0 => $"https://www.{Pick(["example", "tienda-online", "boutique", "mein-shop"])}.{Pick(["com", "es", "fr", "de"])}/{Pick(["orders", "pedido", "commande", "bestellung"])}/{rng.Next(1000, 99999)}",
        1 => $"http://{Pick(["shop", "help", "status"])}.example.com/track?id={rng.Next(100000, 999999)}&lang={Pick(["en", "es", "fr", "de"])}",
        2 => $"www.{Pick(["koopid", "mitienda", "lemagasin", "derladen"])}.{Pick(["com", "es", "fr", "de"])}",
        3 => $"{Pick(["example", "facturas", "support-client", "kundenservice"])}.{Pick(["com", "es", "fr", "de"])}/{Pick(["contact", "ayuda", "aide", "hilfe"])}",
        4 => $"https://bit.ly/{Convert.ToBase64String(BitConverter.GetBytes(rng.Next())).TrimEnd('=').Replace('/', 'x').Replace('+', 'y')}",
        5 => $"https://docs.google.com/document/d/{Digits(6)}abc/edit",
        _ => $"HTTPS://Example.org/a/b?q={Pick(["café", "niño", "straße"])}",
    };

    public string Ip()
    {
        if (rng.Next(3) > 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{rng.Next(1, 224)}.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}");
        }

        var h = () => rng.Next(0x10000).ToString("x", CultureInfo.InvariantCulture);
        return rng.Next(3) switch
        {
            0 => $"2001:db8:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}",
            1 => $"fe80::{h()}:{h()}",
            _ => $"2a02:{h()}::{h()}",
        };
    }
}
