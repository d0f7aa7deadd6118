namespace KoopidDashboard.Infrastructure.Redaction;

/// <summary>Outcome of <see cref="Redactor.Redact"/>.</summary>
/// <param name="Text">The input with every detected entity replaced by its placeholder.</param>
/// <param name="EntityTypes">One entry per replaced entity, in text order (e.g. <c>["EMAIL","PHONE_NUMBER"]</c>).</param>
public sealed record RedactionResult(string Text, IReadOnlyList<string> EntityTypes);
