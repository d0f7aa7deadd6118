using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// URLs in three shapes: with a scheme ("https://…"), starting with "www.", and bare domains
/// ("example.com/path"). Bare domains are the risky shape ("ASP.NET", "Node.js", "e.g."), so they
/// only count with a lower-case TLD from a short list of common ones.
/// </summary>
internal static partial class UrlRecognizer
{
    // Characters allowed after the host: the RFC 3986 set plus Unicode letters (\w). Quotes,
    // angle brackets and emoji end the URL. Trailing sentence punctuation is trimmed in code.
    private const string PathChars = @"[\w\-.~:/?#\[\]@!$&()*+,;=%]";

    [GeneratedRegex(
        @"(?i:\b(?:https?|ftp)://)" + PathChars + "+"
        + @"|(?<![\w@.-])(?i:www)\.[\w-]+(?:\.[\w-]+)+(?:[:/?#]" + PathChars + "*)?"
        + @"|(?<![\w@.%+-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
        + @"(?:com|net|org|edu|gov|info|biz|io|co|dev|app|ai|shop|online|eu|es|fr|de|uk|nl|ch|us|ca|mx|cat)"
        + @"(?:(?::\d{1,5})?/" + PathChars + "*)?(?![\\w@-]|\\.\\w)",
        RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static void Find(string text, List<EntitySpan> sink)
    {
        if (!text.Contains('.', StringComparison.Ordinal) || !Prefilter.MayHaveUrl(text))
        {
            return;
        }

        foreach (var m in Pattern().EnumerateMatches(text))
        {
            var length = TrimTrailingPunctuation(text.AsSpan(m.Index, m.Length));
            if (length > 0)
            {
                sink.Add(new EntitySpan(m.Index, length, EntityTypes.Url));
            }
        }
    }

    /// <summary>
    /// "See https://x.com/a." ends the sentence, not the URL; likewise a closing bracket that
    /// has no opening bracket inside the URL belongs to the surrounding text.
    /// </summary>
    private static int TrimTrailingPunctuation(ReadOnlySpan<char> url)
    {
        var end = url.Length;
        while (end > 0)
        {
            var c = url[end - 1];
            if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '*')
            {
                end--;
            }
            else if (c is ')' or ']' && Unbalanced(url[..end], c == ')' ? '(' : '[', c))
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return end;
    }

    private static bool Unbalanced(ReadOnlySpan<char> s, char open, char close) =>
        s.Count(close) > s.Count(open);
}
