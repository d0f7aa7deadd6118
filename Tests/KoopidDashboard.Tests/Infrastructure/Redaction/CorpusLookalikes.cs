using System.Globalization;
using System.Text;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>
/// Non-PII strings that resemble PII (order and tracking numbers, dates, amounts, versions,
/// postal codes, card-length numbers failing Luhn…). The redactor must leave them intact.
/// </summary>
internal sealed class CorpusLookalikes(Random rng)
{
    public static readonly string[] Categories =
        ["order", "tracking", "date", "time", "amount", "version", "postal", "longnum", "invoice", "percent", "ean", "ref", "account", "ipversion", "yearref", "mac", "ticket"];

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

    private int N(int min, int max) => rng.Next(min, max);

    /// <summary>Sixteen digits with a card-like prefix that fail Luhn.</summary>
    private string NonLuhn16()
    {
        var body = Pick(["4", "5", "6011", "4111", "3"]);
        body += Digits(15 - body.Length);
        var good = CorpusValues.LuhnDigit(body);
        var bad = (char)('0' + ((good - '0' + 1 + rng.Next(9)) % 10));
        return body + bad;
    }

    private static string Group4(string d, string sep) =>
        string.Join(sep, Enumerable.Range(0, d.Length / 4).Select(i => d.Substring(i * 4, 4)));

    public string Value(string category)
    {
        var inv = CultureInfo.InvariantCulture;
        return category switch
        {
            "order" => Pick(["#", "", "Nr. ", "n° "]) + Group4(NonLuhn16(), Pick(["-", " "])),
            "tracking" => Pick(["1Z", "1Z"]) + Pick(["999AA1", "A8E74X", "4W7Y91"]) + Digits(10),
            "date" => rng.Next(5) switch
            {
                0 => string.Create(inv, $"{N(2019, 2027)}-{N(1, 13):00}-{N(1, 29):00}"),
                1 => string.Create(inv, $"{N(1, 29):00}/{N(1, 13):00}/{N(2019, 2027)}"),
                2 => string.Create(inv, $"{N(1, 29):00}.{N(1, 13):00}.{N(2019, 2027)}"),
                3 => string.Create(inv, $"{N(1, 13):00}/{N(1, 29):00}/{N(19, 27)}"),
                _ => string.Create(inv, $"{N(2019, 2027)}-{N(1, 13):00}-{N(1, 29):00}T{N(0, 24):00}:{N(0, 60):00}:00Z"),
            },
            "time" => rng.Next(2) == 0 ? string.Create(inv, $"{N(0, 24):00}:{N(0, 60):00}") : string.Create(inv, $"{N(0, 24):00}:{N(0, 60):00}:{N(0, 60):00}"),
            "amount" => rng.Next(6) switch
            {
                0 => string.Create(inv, $"${N(1, 99)},{N(0, 1000):000}.{N(0, 100):00}"),
                1 => string.Create(inv, $"{N(1, 99)}.{N(0, 1000):000},{N(0, 100):00} €"),
                2 => string.Create(inv, $"£{N(1, 500)}.{N(0, 100):00}"),
                3 => string.Create(inv, $"{N(1, 999)}.{N(0, 1000):000}.{N(0, 1000):000},00 EUR"),
                4 => string.Create(inv, $"{N(1, 99)} {N(0, 1000):000},{N(0, 100):00} €"),
                _ => string.Create(inv, $"USD {N(1, 9)},{N(0, 1000):000},{N(0, 1000):000}"),
            },
            "version" => rng.Next(3) switch
            {
                0 => string.Create(inv, $"v{N(1, 20)}.{N(0, 20)}.{N(0, 30)}"),
                1 => string.Create(inv, $"{N(1, 20)}.{N(0, 10)}.{N(0, 500)}"),
                _ => string.Create(inv, $"v{N(1, 10)}.{N(0, 10)}.{N(0, 10)}.{N(0, 300)}"),
            },
            "postal" => rng.Next(3) == 0
                ? string.Create(inv, $"{N(10000, 99999)}-{N(1000, 9999)}")
                : Pick(["75008", "SW1A 1AA", "28013", "10115", "EC1A 1BB", "08001", "80331", "69002", "M1 1AE"]),
            "longnum" => rng.Next(2) == 0 ? NonLuhn16() : Group4(NonLuhn16(), " "),
            "invoice" => Pick(["INV", "FAC", "RE", "FACT"]) + "-" + N(2020, 2027).ToString(inv) + Pick(["-", "/"]) + Digits(5),
            "percent" => string.Create(inv, $"{N(1, 100)}{Pick([".", ","])}{N(0, 10)}{Pick(["%", " %"])}"),
            "ean" => "400" + Digits(10),
            "ref" => N(1, 10).ToString(inv) + Digits(8),
            "account" => "AC-" + Digits(10),
            "yearref" => N(2019, 2027).ToString(inv) + "-" + (rng.Next(2) == 0 ? Digits(6) : string.Create(inv, $"{N(1, 13):00}-{Digits(4)}")),
            "mac" => string.Join(':', Enumerable.Range(0, 6).Select(_ => N(0, 256).ToString("X2", inv))),
            "ticket" => N(1, 10).ToString(inv) + Digits(9),
            _ => string.Create(inv, $"{N(1, 10)}.{N(0, 10)}.{N(0, 10)}.{N(0, 30)}"),
        };
    }
}
