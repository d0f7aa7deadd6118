namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>
/// Names of the entity types the <see cref="Redactor"/> detects. The redacted text uses them as
/// placeholders in angle brackets (e.g. <c>&lt;EMAIL&gt;</c>); the names match Microsoft Presidio's
/// so that downstream tooling and people used to Presidio read them the same way.
/// </summary>
public static class EntityTypes
{
    public const string Email = "EMAIL";
    public const string PhoneNumber = "PHONE_NUMBER";
    public const string CreditCard = "CREDIT_CARD";
    public const string UsSsn = "US_SSN";
    public const string IbanCode = "IBAN_CODE";
    public const string IpAddress = "IP_ADDRESS";
    public const string Url = "URL";

    /// <summary>Every entity type, in overlap-priority order (most specific first).</summary>
    public static readonly IReadOnlyList<string> All =
        [Url, Email, IbanCode, CreditCard, UsSsn, IpAddress, PhoneNumber];

    /// <summary>
    /// Every entity type in SPEC §7's order: the order of reports (ConversationStats' redactedEntitiesByType, its CSV
    /// columns) and of the hourly message rollup's per-type columns (migration 0019).
    /// </summary>
    public static readonly IReadOnlyList<string> ReportOrder = [Email, PhoneNumber, CreditCard, UsSsn, IbanCode, IpAddress, Url];

    /// <summary>The hourly message rollup's column counting this type's placeholders (migration 0019).</summary>
    public static string RollupColumn(string entityType) => "entities_" + entityType.ToLowerInvariant();

    /// <summary>The placeholder written in place of an entity of the given type.</summary>
    public static string Placeholder(string entityType) => "<" + entityType + ">";
}
