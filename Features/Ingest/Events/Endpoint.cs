using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace KoopidDashboard.Features.Ingest.Events;

/// <summary>
/// <c>POST /Ingest/Events</c> (SPEC §6). The body is read raw (NDJSON is not one JSON document), so the endpoint has
/// no bound request; the tenancy rule is applied per line by the pipeline instead of by the pre-processor.
/// </summary>
public sealed class Endpoint(IngestPipeline pipeline, IOptions<IngestOptions> options) : EndpointWithoutRequest<IngestResponse>, IProviderFree
{
    private static readonly string[] AcceptedMediaTypes = ["application/x-ndjson", "application/jsonl", "application/json", "text/plain", "application/octet-stream"];

    public override void Configure()
    {
        Post("/Ingest/Events");
        Roles(KoopidRoles.Ingest, KoopidRoles.KoopidAdmin, KoopidRoles.ProviderAdmin);
        Description(d => d.Accepts<string>(AcceptedMediaTypes[0], AcceptedMediaTypes[1..])
            .Produces<IngestResponse>(200)
            .ProducesProblem(413)
            .ProducesProblem(415));
        Summary(s =>
        {
            s.Summary = "Ingest platform events (NDJSON or a JSON array)";
            s.Description = "One event per line (docs/ingest.md). Good lines are stored in one transaction (upsert by id; replay changes nothing), "
                + "bad lines are reported with their line number and reason. A ProviderAdmin or Ingest credential writes only its own provider.";
        });
    }

    public override async Task HandleAsync(CancellationToken ct)
    {
        var limit = options.Value.MaxBodyBytes;
        if (HttpContext.Request.ContentLength > limit)
        {
            await Problems.WriteAsync(HttpContext, 413, "Request body too large", $"Ingest bodies are limited to {limit} bytes; split the batch.");
            return;
        }
        var mediaType = HttpContext.Request.ContentType?.Split(';')[0].Trim();
        if (!string.IsNullOrEmpty(mediaType) && !AcceptedMediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(HttpContext, 415, "Unsupported media type", $"Send application/x-ndjson or application/json, not {mediaType}.");
            return;
        }
        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;

        long? bound = null;
        if (!User.IsInRole(KoopidRoles.KoopidAdmin))
        {
            bound = TenancyPreProcessor.OwnProvider(User);
            if (bound is null)
            {
                await Problems.WriteAsync(HttpContext, 403, "Forbidden", "This credential is not bound to a provider.");
                return;
            }
        }

        using var body = new MemoryStream();
        await HttpContext.Request.Body.CopyToAsync(body, ct);
        var result = await pipeline.IngestAsync(IngestLines.Split(body.GetBuffer().AsMemory(0, (int)body.Length)), bound, ct);
        await Send.OkAsync(new IngestResponse(result.Accepted, result.Unchanged,
            result.Rejected.Select(r => new IngestResponse.RejectedLine(r.Line, r.Error)).ToList()), ct);
    }
}

/// <summary>SPEC §6: <c>{ accepted, unchanged, rejected: [ { line, error } ] }</c>.</summary>
public sealed record IngestResponse(int Accepted, int Unchanged, IReadOnlyList<IngestResponse.RejectedLine> Rejected)
{
    public sealed record RejectedLine(int Line, string Error);
}
