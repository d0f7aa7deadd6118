using System.Text;
using System.Text.Json;
using KoopidDashboard.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Features;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// The seed documents the dashboard POST bodies as <c>*/*</c>: clients send JSON as text/plain, with no
/// Content-Type, or nothing at all. Before routing, read such a body as JSON (empty → <c>{}</c>, "all defaults")
/// and note the providerId it names (ingest bodies keep their own format: see below), so the tenancy check sees the body even when the query overrides it.
/// </summary>
public sealed class JsonBodyNormalizer(RequestDelegate next)
{
    private const long MaxDashboardBody = 1 << 20;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/Ingest", StringComparison.OrdinalIgnoreCase))
        {
            // curl and most HTTP tools label a raw body form-urlencoded or nothing at all; it is still NDJSON.
            var mediaType = request.ContentType?.Split(';')[0].Trim();
            if (string.IsNullOrEmpty(mediaType) || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
                request.ContentType = "application/x-ndjson";
            await next(context);
            return;
        }
        if (!HttpMethods.IsPost(request.Method) || !request.Path.StartsWithSegments("/Dashboard", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
            sizeFeature.MaxRequestBodySize = MaxDashboardBody;
        if (request.ContentLength > MaxDashboardBody)
        {
            await Problems.WriteAsync(context, 413, "Request body too large", $"Dashboard request bodies are limited to {MaxDashboardBody} bytes.");
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        if (body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            body = "{}"u8.ToArray();
        else
            context.Items[TenancyPreProcessor.BodyProviderIdsItem] = ProviderIdsIn(body);

        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        request.ContentType = "application/json; charset=utf-8";
        await next(context);
    }

    private static long[] ProviderIdsIn(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return [];
            return doc.RootElement.EnumerateObject()
                .Where(p => string.Equals(p.Name, "providerId", StringComparison.OrdinalIgnoreCase))
                .Select(p => p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n) ? n
                    : p.Value.ValueKind == JsonValueKind.String && long.TryParse(p.Value.GetString(), out var s) ? s : (long?)null)
                .OfType<long>()
                .ToArray();
        }
        catch (JsonException)
        {
            return []; // malformed JSON is reported by the binder as a 400
        }
        catch (DecoderFallbackException)
        {
            return [];
        }
    }
}
