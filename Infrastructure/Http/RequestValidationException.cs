using FluentValidation.Results;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// A validation failure found inside a handler (e.g. a range that only breaks the limits once "now" fills in the default end).
/// FastEndpoints 8 answers its own ValidationFailureException from a handler with an empty <c>errors</c> list, so the shared
/// exception handler turns this one into the same 400 problem shape the validators produce.
/// </summary>
public sealed class RequestValidationException(IReadOnlyList<ValidationFailure> failures)
    : Exception(failures.FirstOrDefault()?.ErrorMessage ?? "Invalid request")
{
    public IReadOnlyList<ValidationFailure> Failures { get; } = failures;
}
