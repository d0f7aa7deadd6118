namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Decides whether a dotted quad such as "1.2.3.4" is a version number rather than an IPv4
/// address, from the word right before it ("version 1.2.3.4", "Firmware 5.1.8.15"). Messages
/// contain typos ("verión", "frimware"), so long cue words match with one edit.
/// </summary>
internal static class VersionCue
{
    private static readonly string[] CueWords =
        ["v", "ver", "vers", "rel", "build", "version", "versión", "versao", "versione", "versionsnummer", "release", "firmware"];

    /// <summary>True when the word before <paramref name="index"/> (ignoring spaces, ':', '#', '.', '=') is a version cue.</summary>
    public static bool Precedes(ReadOnlySpan<char> text, int index)
    {
        var end = index;
        while (end > 0 && text[end - 1] is ' ' or '\u00A0' or ':' or '#' or '.' or '=')
        {
            end--;
        }

        var start = end;
        while (start > 0 && char.IsLetter(text[start - 1]))
        {
            start--;
        }

        return Fuzzy.MatchesAny(text[start..end], CueWords);
    }
}
