using System.Globalization;
using System.Text;
using System.Text.Json;
using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Infrastructure.Time;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace KoopidDashboard.Features.Dashboard.RedactedMessages;

public sealed class Endpoint(NpgsqlDataSource db, TimeProvider time, IConfiguration configuration) : Endpoint<Request, Response>
{
    public const string Ndjson = "application/x-ndjson";
    private const int FlushEveryRows = 500;

    public override void Configure()
    {
        Get("/Dashboard/{providerId}/RedactedMessages");
        // SPEC §5: the redacted-data endpoints are Provider Admin only; a KoopidAdmin gets 403.
        Roles(KoopidRoles.ProviderAdmin);
        Description(d => d.Produces<Response>(200, "application/json")
            .Produces<MessageRow>(200, Ndjson, "text/csv"));
        Summary(s =>
        {
            s.Summary = "Redacted messages, keyset-paged or streamed";
            s.Description = "Messages with sentAt in [start, end), ordered by (sentAt, messageId): redacted text, sender (senderType, senderId, "
                + "senderName = the agent or bot), the interaction's sentiment/topic/intent, workflow (botId/botName, queueId/queueName), "
                + "session (interactionId, channel) and entityTypes replaced by the redactor. Raw text is never returned. "
                + "Paging: limit (1..1000, default 100) and cursor = the previous page's nextCursor (null on the last page); the cursor is "
                + "signed and bound to the provider and range, so an edited one is a 400 problem. Rows already present are never repeated or "
                + "skipped while new data arrives. With Accept: application/x-ndjson (one JSON object per line) or text/csv the whole range "
                + "(after cursor, if given) is streamed and limit is ignored. Provider Admin only. "
                + "Example: GET /Dashboard/1001/RedactedMessages?start=1772928000000&end=1773014400000&limit=2 → "
                + "{ messages: [2 rows], nextCursor: \"AQAAAZ…\" }; then the same URL with &cursor=AQAAAZ… .";
            s.ExampleRequest = new Request { ProviderId = 1001, Start = 1772928000000, End = 1773014400000, Limit = 2 };
            s.ResponseExamples[200] = new Response
            {
                ProviderId = 1001,
                Start = 1772928000000,
                End = 1773014400000,
                Limit = 2,
                NextCursor = "AQAAAZzL4QAAAAABnMvhAAA…",
                Messages =
                [
                    new MessageRow
                    {
                        MessageId = 501, SentAtExact = new DateTime(2026, 3, 8, 9, 0, 5, DateTimeKind.Utc), SenderType = "customer", SenderId = 9001,
                        Text = "My card <CREDIT_CARD> was charged twice, mail me at <EMAIL>", Sentiment = -0.4, Topic = "billing", Intent = "refund",
                        BotId = 3, BotName = "Greeter", QueueId = 12, QueueName = "Billing", InteractionId = 7001, Channel = "webchat",
                        EntityTypes = ["CREDIT_CARD", "EMAIL"],
                    },
                ],
            };
        });
    }

    public override async Task HandleAsync(Request r, CancellationToken ct)
    {
        var providerId = r.ProviderId!.Value;
        var after = ReadCursor(r, providerId);
        // A cursor carries its range, so a caller who relied on the "now" defaults keeps paging the same range.
        var plan = await RangeResolver.PlanAsync(db, providerId, r.Start ?? after?.StartMs, r.End ?? after?.EndMs, BucketInterval.Total.Name, "UTC", time, ct);

        var accept = HttpContext.Request.Headers.Accept.ToString();
        if (accept.Contains(Ndjson, StringComparison.OrdinalIgnoreCase))
        {
            await StreamAsync(Ndjson, Data.StreamAsync(db, providerId, plan.Start, plan.End, after, ct), WriteJsonLine, ct);
            return;
        }
        if (DashboardResponses.WantsCsv(HttpContext.Request))
        {
            await StreamAsync("text/csv; charset=utf-8", Data.StreamAsync(db, providerId, plan.Start, plan.End, after, ct), WriteCsvLine, ct);
            return;
        }

        var limit = r.Limit ?? Request.DefaultLimit;
        var rows = await Data.PageAsync(db, providerId, plan.Start, plan.End, after, limit + 1, ct);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit
            ? new Cursor(plan.StartMs, plan.EndMs, Cursor.ToMicros(page[^1].SentAtExact), page[^1].MessageId).Encode(Cursor.KeyFrom(configuration), providerId)
            : null;
        await DashboardResponses.SendAsync(HttpContext, new Response
        {
            ProviderId = providerId,
            Start = plan.StartMs,
            End = plan.EndMs,
            Limit = limit,
            Messages = page,
            NextCursor = next,
        }, ct);
    }

    private Cursor? ReadCursor(Request r, long providerId)
    {
        if (string.IsNullOrEmpty(r.Cursor))
            return null;
        var cursor = Cursor.TryDecode(r.Cursor, Cursor.KeyFrom(configuration), providerId);
        if (cursor is null)
            ThrowError(r => r.Cursor, "cursor is not a nextCursor issued by this endpoint for this provider; start again without cursor.");
        if ((r.Start is { } start && start != cursor.StartMs) || (r.End is { } end && end != cursor.EndMs))
            ThrowError(r => r.Cursor, $"cursor belongs to the range [{cursor.StartMs}, {cursor.EndMs}); keep start and end or drop them.");
        return cursor;
    }

    /// <summary>Constant memory: each row is written to the response as it is read, and flushed every few hundred rows.</summary>
    private async Task StreamAsync(string contentType, IAsyncEnumerable<MessageRow> rows, Action<PipeWriterLike, MessageRow> write, CancellationToken ct)
    {
        HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        HttpContext.Response.StatusCode = StatusCodes.Status200OK;
        HttpContext.Response.ContentType = contentType;
        var output = new PipeWriterLike(HttpContext.Response.BodyWriter);
        if (contentType.StartsWith("text/csv", StringComparison.Ordinal))
            output.Write(CsvHeader + "\r\n");
        var count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            write(output, row);
            if (++count % FlushEveryRows == 0)
                await HttpContext.Response.BodyWriter.FlushAsync(ct);
        }
        await HttpContext.Response.BodyWriter.FlushAsync(ct);
    }

    private static void WriteJsonLine(PipeWriterLike output, MessageRow row)
    {
        using (var json = new Utf8JsonWriter(output.Writer))
            JsonSerializer.Serialize(json, row, KoopidJsonContext.Default.MessageRow);
        output.Write("\n");
    }

    public const string CsvHeader = "messageId,sentAt,senderType,senderId,senderName,text,sentiment,topic,intent,botId,botName,queueId,queueName,interactionId,channel,entityTypes";

    private static void WriteCsvLine(PipeWriterLike output, MessageRow m)
    {
        var cells = new[]
        {
            Cell(m.MessageId), Cell(m.SentAt), Csv(m.SenderType), Cell(m.SenderId), Csv(m.SenderName), Csv(m.Text), Cell(m.Sentiment), Csv(m.Topic),
            Csv(m.Intent), Cell(m.BotId), Csv(m.BotName), Cell(m.QueueId), Csv(m.QueueName), Cell(m.InteractionId), Csv(m.Channel), Csv(string.Join(';', m.EntityTypes)),
        };
        output.Write(string.Join(',', cells) + "\r\n");
    }

    private static string Cell(IFormattable? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString(null, CultureInfo.InvariantCulture),
    };

    private static string Csv(string? cell) => CsvWriter.Escape(cell);

    /// <summary>UTF-8 text onto the response pipe without an intermediate buffer per row.</summary>
    private readonly struct PipeWriterLike(System.IO.Pipelines.PipeWriter writer)
    {
        public System.IO.Pipelines.PipeWriter Writer => writer;

        public void Write(string text)
        {
            var span = writer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
            writer.Advance(Encoding.UTF8.GetBytes(text, span));
        }
    }
}
