using System.Text.Json;
using System.Text.Json.Serialization;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// One JSON setup for FastEndpoints (bodies, responses, validation problems) and ASP.NET Core (Results.Problem):
/// the source-generated <see cref="KoopidJsonContext"/> first, reflection only behind it for a type it lacks.
/// </summary>
public static class KoopidJson
{
    public static IServiceCollection AddKoopidJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));

    public static void Configure(JsonSerializerOptions options)
    {
        // null means "no sample" and 0 a real zero (SPEC §3): never drop nulls from responses.
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        if (!options.TypeInfoResolverChain.Contains(KoopidJsonContext.Default))
            options.TypeInfoResolverChain.Insert(0, KoopidJsonContext.Default);
    }

    /// <summary>
    /// FastEndpoints' response writer, but typed by the response's runtime type: FastEndpoints' default writes an
    /// <c>object</c>, which resolves the generated metadata yet never takes its fast serialization path.
    /// Same content type (FastEndpoints' default charset) and bytes as the default.
    /// </summary>
    public static Func<HttpResponse, object?, string, JsonSerializerContext?, CancellationToken, Task> ResponseWriter(JsonSerializerOptions options) =>
        (response, dto, contentType, context, ct) => dto is null
            ? Task.CompletedTask
            : response.WriteAsJsonAsync(dto, (context?.Options ?? options).GetTypeInfo(dto.GetType()), $"{contentType}; charset=utf-8", ct);
}
