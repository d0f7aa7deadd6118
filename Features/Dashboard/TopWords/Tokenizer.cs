using System.Globalization;
using System.Text;

namespace KoopidDashboard.Features.Dashboard.TopWords;

/// <summary>
/// Counts word tokens of redacted message text (SPEC §5 row 13). A token is a run of Unicode letters, combining marks
/// and decimal digits, with apostrophes (' ’ ʼ, written as ') allowed between two such characters ("don't", "l'été");
/// text is NFC-normalised and lower-cased with the invariant culture. Excluded: redaction placeholders such as
/// &lt;EMAIL&gt; (an upper-case name in angle brackets), pure numbers, tokens over 64 characters and the
/// en/es/fr/de <see cref="StopWords"/>.
/// </summary>
public sealed class Tokenizer
{
    public const int MaxTokenLength = 64;

    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> countsBySpan;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> stopWords = StopWords.All.GetAlternateLookup<ReadOnlySpan<char>>();
    private readonly char[] token = new char[MaxTokenLength + 2];
    private readonly bool asciiFastPath;

    /// <param name="asciiFastPath">
    /// Read ASCII letters, digits and separators without decoding a rune and looking up its Unicode category (most message
    /// text is ASCII: at 30 days the bench's 80 k texts took ≈ 30 ms that way). False only for tests, which compare both.
    /// </param>
    public Tokenizer(bool asciiFastPath = true) => (countsBySpan, this.asciiFastPath) = (counts.GetAlternateLookup<ReadOnlySpan<char>>(), asciiFastPath);

    /// <summary>Tokens counted so far (after every exclusion): the denominator of share.</summary>
    public long Total { get; private set; }

    public IReadOnlyDictionary<string, long> Counts => counts;

    public void Add(string text)
    {
        text = Nfc(text);
        var length = 0;       // chars of the current token in the buffer (lower-cased)
        var tooLong = false;
        var digitsOnly = true;
        for (var i = 0; i < text.Length;)
        {
            // ASCII: A–Z, a–z (lower-cased) and 0–9 are word characters, every other character but the apostrophe and
            // '<' (a placeholder's start) a separator, as their Unicode categories say
            if (asciiFastPath && text[i] < 0x80 && text[i] is not '\'' and not '<')
            {
                var c = text[i++];
                if (c is >= '0' and <= '9' || (c | 0x20) is >= 'a' and <= 'z')
                {
                    digitsOnly &= c <= '9';
                    if (length < MaxTokenLength)
                        token[length++] = c <= '9' ? c : (char)(c | 0x20);
                    else
                        tooLong = true;
                }
                else
                    Flush(ref length, ref tooLong, ref digitsOnly);
                continue;
            }
            if (text[i] == '<' && PlaceholderLength(text, i) is > 0 and var skip)
            {
                Flush(ref length, ref tooLong, ref digitsOnly);
                i += skip;
                continue;
            }
            Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var consumed); // a lone surrogate reads as U+FFFD: a separator
            if (IsApostrophe(rune))
            {
                if (length > 0 && i + consumed < text.Length && Rune.DecodeFromUtf16(text.AsSpan(i + consumed), out var next, out _) == System.Buffers.OperationStatus.Done
                    && IsWordRune(next) && length < MaxTokenLength)
                    token[length++] = '\'';
                else
                    Flush(ref length, ref tooLong, ref digitsOnly);
            }
            else if (IsWordRune(rune))
            {
                if (!Rune.IsDigit(rune))
                    digitsOnly = false;
                var lower = Rune.ToLowerInvariant(rune);
                if (length + lower.Utf16SequenceLength <= MaxTokenLength)
                    length += lower.EncodeToUtf16(token.AsSpan(length));
                else
                    tooLong = true;
            }
            else
                Flush(ref length, ref tooLong, ref digitsOnly);
            i += consumed;
        }
        Flush(ref length, ref tooLong, ref digitsOnly);
    }

    /// <summary>Adds <paramref name="count"/> occurrences of a word this class counted before (the word tier's rows).</summary>
    public void AddCounted(string word, long count)
    {
        counts[word] = counts.TryGetValue(word, out var n) ? n + count : count;
        Total += count;
    }

    /// <summary>The words by count (descending), ties by word (ordinal), at most <paramref name="limit"/>.</summary>
    public IEnumerable<KeyValuePair<string, long>> Top(int limit) =>
        counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(limit);

    private void Flush(ref int length, ref bool tooLong, ref bool digitsOnly)
    {
        if (length > 0 && !tooLong && !digitsOnly)
        {
            var word = token.AsSpan(0, length);
            if (!stopWords.Contains(word))
            {
                countsBySpan[word] = countsBySpan.TryGetValue(word, out var n) ? n + 1 : 1;
                Total++;
            }
        }
        length = 0;
        tooLong = false;
        digitsOnly = true;
    }

    /// <summary>NFC, so a decomposed "e + U+0301" counts as "é"; text from PostgreSQL is valid UTF-8, a lone surrogate is left as it is.</summary>
    private static string Nfc(string text)
    {
        try
        {
            return text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    /// <summary>Length of a redaction placeholder (&lt;EMAIL&gt;, &lt;PHONE_NUMBER&gt;…) starting at <paramref name="at"/>, else 0.</summary>
    public static int PlaceholderLength(string text, int at)
    {
        var i = at + 1;
        while (i < text.Length && i - at <= 32 && (text[i] is >= 'A' and <= 'Z' || text[i] == '_'))
            i++;
        return i > at + 1 && i < text.Length && text[i] == '>' ? i - at + 1 : 0;
    }

    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
        or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
        or UnicodeCategory.DecimalDigitNumber;

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or '\u2019' or '\u02BC';
}
