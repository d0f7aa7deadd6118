using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using FastEndpoints;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// PostgreSQL text cannot hold U+0000, and a lone UTF-16 surrogate cannot be encoded for the wire: either would reach the
/// database as a 500. Every bound request's string and string-array properties are checked once, here, for every endpoint
/// (after the tenancy check, before any handler), and such input is a 400 naming the field.
/// </summary>
public sealed class TextInputGuard : IGlobalPreProcessor
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> TextProperties = new();

    public async Task PreProcessAsync(IPreProcessorContext ctx, CancellationToken ct)
    {
        if (ctx.HttpContext.Response.HasStarted || ctx.Request is null)
            return;

        var bad = new List<ProblemError>();
        foreach (var property in TextProperties.GetOrAdd(ctx.Request.GetType(), FindTextProperties))
        {
            var values = property.GetValue(ctx.Request) switch
            {
                string text => [text],
                IEnumerable<string?> texts => texts,
                _ => [],
            };
            if (values.Any(v => v is not null && !IsStorable(v)))
            {
                var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                bad.Add(new ProblemError(name, $"{name} contains a NUL character or invalid UTF-16; send plain text."));
            }
        }
        if (bad.Count > 0)
            await Problems.WriteAsync(ctx.HttpContext, StatusCodes.Status400BadRequest, "Bad Request",
                "A text field contains characters that cannot be stored or searched.", new Dictionary<string, object?> { ["errors"] = bad.ToArray() });
    }

    private static bool IsStorable(string text)
    {
        if (text.Contains('\0'))
            return false;
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static PropertyInfo[] FindTextProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0
                && (p.PropertyType == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType)))
            .ToArray();
}
