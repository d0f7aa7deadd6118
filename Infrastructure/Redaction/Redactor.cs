using System.Text;

namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Replaces personal data in free text with typed placeholders (<c>&lt;EMAIL&gt;</c>,
/// <c>&lt;PHONE_NUMBER&gt;</c>, …), the way Microsoft Presidio does: a pattern finds candidates
/// and a validator (Luhn, mod 97, SSA rules, libphonenumber, IP parser) confirms them.
/// </summary>
/// <remarks>
/// Thread-safe and stateless after construction: register as a singleton. All regexes are
/// source-generated; per call we allocate only the candidate list, the result string and the
/// type list, and return the input instance when nothing is found.
/// </remarks>
public sealed class Redactor
{
    private static readonly RedactionResult EmptyResult = new(string.Empty, []);

    private readonly PhoneRecognizer _phones;

    public Redactor()
        : this(PhoneRecognizer.DefaultRegions)
    {
    }

    /// <param name="phoneRegions">ISO 3166 region codes whose national phone formats to recognise.</param>
    /// <remarks>
    /// Internal on purpose: with a public <c>IEnumerable&lt;string&gt;</c> constructor the DI
    /// container would pick it and inject an empty sequence, silently disabling national phone
    /// formats. The container must only see the parameterless constructor.
    /// </remarks>
    internal Redactor(IEnumerable<string> phoneRegions)
    {
        ArgumentNullException.ThrowIfNull(phoneRegions);
        _phones = new PhoneRecognizer(phoneRegions);
    }

    /// <summary>Redacts <paramref name="text"/>; null or empty input comes back unchanged.</summary>
    public RedactionResult Redact(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            // The contract says null comes back unchanged; the signature is non-nullable for callers.
            return text is null ? new RedactionResult(text!, []) : EmptyResult;
        }

        var candidates = new List<EntitySpan>();
        UrlRecognizer.Find(text, candidates);
        EmailRecognizer.Find(text, candidates);
        IbanRecognizer.Find(text, candidates);
        CreditCardRecognizer.Find(text, candidates);
        UsSsnRecognizer.Find(text, candidates);
        IpAddressRecognizer.Find(text, candidates);
        _phones.Find(text, candidates);

        if (candidates.Count == 0)
        {
            return new RedactionResult(text, []);
        }

        var chosen = OverlapResolver.Resolve(candidates);
        return Render(text, chosen);
    }

    private static RedactionResult Render(string text, List<EntitySpan> spans)
    {
        var builder = new StringBuilder(text.Length);
        var types = new string[spans.Count];
        var cursor = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            builder.Append(text, cursor, span.Start - cursor).Append('<').Append(span.Type).Append('>');
            types[i] = span.Type;
            cursor = span.End;
        }

        builder.Append(text, cursor, text.Length - cursor);
        return new RedactionResult(builder.ToString(), types);
    }
}
