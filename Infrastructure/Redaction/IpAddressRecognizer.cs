using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// IPv4 (dotted quad, each octet 0-255) and IPv6 (validated by <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>).
/// A four-part version number such as "1.2.3.4" is indistinguishable from an address, so it
/// is redacted unless a version cue ("v1.2.3.4", "version 1.2.3.4", "build …") precedes it
/// (see <see cref="VersionCue"/>): leaking an address is worse than masking a version.
/// </summary>
internal static partial class IpAddressRecognizer
{
    // Octets without leading zeros beyond one digit, so "1.000.000.000" (an amount) fails.
    // Neighbouring word characters or a further ".digit" mean a longer token (a 5-part version,
    // a German amount), which must not be cut into an address.
    [GeneratedRegex(
        @"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)",
        RegexOptions.CultureInvariant)]
    private static partial Regex V4();

    // A loose candidate (2-7 colons, hex groups, optional embedded IPv4 tail); the parser
    // decides. Times ("14:30:00") and MAC addresses have no "::" and fewer than 8 groups, so
    // the parser rejects them.
    [GeneratedRegex(
        @"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)",
        RegexOptions.CultureInvariant)]
    private static partial Regex V6();

    public static void Find(string text, List<EntitySpan> sink)
    {
        // IPv4 needs digits; IPv6 may be letters and colons only, so it has its own pre-filter below.
        if (Prefilter.MayHaveDigit(text))
        {
            foreach (var m in V4().EnumerateMatches(text))
            {
                if (!VersionCue.Precedes(text, m.Index))
                {
                    sink.Add(new EntitySpan(m.Index, m.Length, EntityTypes.IpAddress));
                }
            }
        }

        if (!text.Contains(':', StringComparison.Ordinal))
        {
            return;
        }

        foreach (var m in V6().EnumerateMatches(text))
        {
            var candidate = text.AsSpan(m.Index, m.Length);
            if (IsIPv6(candidate))
            {
                sink.Add(new EntitySpan(m.Index, m.Length, EntityTypes.IpAddress));
            }
            else if (candidate.EndsWith(":") && !candidate.EndsWith("::") && IsIPv6(candidate[..^1]))
            {
                // "… 2001:db8::1: that one" — the colon is punctuation.
                sink.Add(new EntitySpan(m.Index, m.Length - 1, EntityTypes.IpAddress));
            }
        }
    }

    private static bool IsIPv6(ReadOnlySpan<char> s) =>
        s.Length >= 3
        && s.ContainsAnyExcept(':')
        && IPAddress.TryParse(s, out var ip)
        && ip.AddressFamily == AddressFamily.InterNetworkV6;
}
