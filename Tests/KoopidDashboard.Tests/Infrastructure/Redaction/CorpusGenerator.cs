using System.Text;

namespace KoopidDashboard.Tests.Infrastructure.Redaction;

/// <summary>
/// Deterministic generator for the "gen" part of corpus.jsonl (fixed seed, no clock, no
/// culture dependence). Each message: optional opener, 1-3 fragments each holding a PII value
/// or a look-alike, optional closer and emoji, and sometimes a typo in the fragment words.
/// <see cref="RedactorCorpusTests"/> checks that the file still matches this output.
/// </summary>
public static class CorpusGenerator
{
    public const int Seed = 20_261_125;
    public const int MessagesPerLanguage = 200;
    public static readonly string[] Languages = ["en", "es", "fr", "de"];

    private static readonly string[] PiiTypes = ["EMAIL", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS", "URL"];

    public static IReadOnlyList<CorpusEntry> Generate(int seed = Seed)
    {
        var rng = new Random(seed);
        var values = new CorpusValues(rng);
        var lookalikes = new CorpusLookalikes(rng);
        var result = new List<CorpusEntry>();
        var piiTurn = 0;
        var lookTurn = 0;
        foreach (var lang in Languages)
        {
            var fragments = CorpusTemplates.Fragments[lang];
            for (var i = 0; i < MessagesPerLanguage; i++)
            {
                var parts = new List<string>();
                var entities = new List<string>();
                var keep = new List<string>();
                var slots = 1 + rng.Next(3);
                for (var s = 0; s < slots; s++)
                {
                    // Alternate PII and look-alikes, cycling through types so all are balanced.
                    if ((s + i) % 2 == 0)
                    {
                        var type = PiiTypes[piiTurn++ % PiiTypes.Length];
                        var (value, key) = PiiValue(values, type);
                        parts.Add(Typo(rng, Pick(rng, fragments[key])).Replace("{v}", value, StringComparison.Ordinal));
                        entities.Add(type);
                    }
                    else
                    {
                        var category = CorpusLookalikes.Categories[lookTurn++ % CorpusLookalikes.Categories.Length];
                        var value = lookalikes.Value(category);
                        parts.Add(Typo(rng, Pick(rng, fragments[category])).Replace("{v}", value, StringComparison.Ordinal));
                        keep.Add(value);
                    }
                }

                result.Add(new CorpusEntry(lang, Assemble(rng, lang, parts), entities, keep));
            }
        }

        return result;
    }

    private static (string Value, string FragmentKey) PiiValue(CorpusValues values, string type) => type switch
    {
        "EMAIL" => (values.Email(), type),
        "PHONE_NUMBER" => PhoneValue(values),
        "CREDIT_CARD" => (values.Card(), type),
        "US_SSN" => (values.Ssn(), type),
        "IBAN_CODE" => (values.Iban(), type),
        "IP_ADDRESS" => (values.Ip(), type),
        _ => (values.Url(), type),
    };

    /// <summary>Bare-digit numbers go into a fragment with a phone word, as people write them.</summary>
    private static (string Value, string FragmentKey) PhoneValue(CorpusValues values)
    {
        var (text, bare) = values.Phone();
        return (text, bare ? "PHONE_CTX" : "PHONE_NUMBER");
    }

    private static string Assemble(Random rng, string lang, List<string> parts)
    {
        var sb = new StringBuilder();
        var opener = Pick(rng, CorpusTemplates.Openers[lang]);
        if (opener.Length > 0)
        {
            sb.Append(opener).Append(' ');
        }

        for (var p = 0; p < parts.Count; p++)
        {
            if (p > 0)
            {
                sb.Append(Pick(rng, [". ", ", ", " and ", " — ", " / ", "\n"]));
            }

            sb.Append(parts[p]);
            if (rng.Next(5) == 0)
            {
                // Emoji sometimes glued to the previous word, as people type them.
                sb.Append(rng.Next(2) == 0 ? " " : string.Empty).Append(Pick(rng, CorpusTemplates.Emoji));
            }
        }

        var closer = Pick(rng, CorpusTemplates.Closers[lang]);
        if (closer.Length > 0)
        {
            sb.Append(rng.Next(2) == 0 ? " " : "\n").Append(closer);
        }

        return sb.ToString();
    }

    /// <summary>With probability 1/4, swaps two letters or drops one in a word of the fragment (never in "{v}").</summary>
    private static string Typo(Random rng, string fragment)
    {
        if (rng.Next(4) != 0)
        {
            return fragment;
        }

        var words = fragment.Split(' ');
        var candidates = Enumerable.Range(0, words.Length).Where(w => words[w].Length >= 5 && !words[w].Contains('{', StringComparison.Ordinal) && words[w].All(char.IsLetter)).ToArray();
        if (candidates.Length == 0)
        {
            return fragment;
        }

        var w = candidates[rng.Next(candidates.Length)];
        var chars = words[w].ToCharArray();
        var k = rng.Next(1, chars.Length - 1);
        if (rng.Next(2) == 0)
        {
            (chars[k], chars[k + 1]) = (chars[k + 1], chars[k]);
            words[w] = new string(chars);
        }
        else
        {
            words[w] = words[w].Remove(k, 1);
        }

        return string.Join(' ', words);
    }

    private static string Pick(Random rng, string[] items) => items[rng.Next(items.Length)];
}
