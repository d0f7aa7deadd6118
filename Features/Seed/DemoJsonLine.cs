using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace KoopidDashboard.Features.Seed;

/// <summary>
/// Writes one event as one JSON line, reusing a single buffer (hundreds of thousands of lines).
/// Timestamps of provider-side events carry the provider's local offset (2026-03-08T09:15:00-05:00);
/// message times are UTC with "Z" — both are valid RFC 3339, and a mix exercises the parser.
/// </summary>
internal sealed class DemoJsonLine : IDisposable
{
    // Relaxed escaping keeps accents and quotes readable; emoji are still \u-escaped, which is valid JSON.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private TimeZoneInfo _tz = TimeZoneInfo.Utc;

    public DemoJsonLine() => _json = new Utf8JsonWriter(_buffer, Options);

    public DemoJsonLine Begin(string type, DemoProvider provider)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _tz = provider.Tz;
        _json.WriteStartObject();
        _json.WriteString("type", type);
        _json.WriteNumber("providerId", provider.Spec.Id);
        return this;
    }

    public DemoJsonLine Str(string name, string value) { _json.WriteString(name, value); return this; }
    public DemoJsonLine Id(string name, long value) { _json.WriteNumber(name, value); return this; }
    public DemoJsonLine Int(string name, int value) { _json.WriteNumber(name, value); return this; }
    public DemoJsonLine Num(string name, double value) { _json.WriteNumber(name, value); return this; }

    /// <summary>Provider-local wall clock with its offset.</summary>
    public DemoJsonLine Time(string name, long unixSeconds)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), _tz);
        _json.WriteString(name, local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        return this;
    }

    public DemoJsonLine UtcTime(string name, long unixSeconds)
    {
        _json.WriteString(name, DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        return this;
    }

    public void Dispose() => _json.Dispose();

    public string End()
    {
        _json.WriteEndObject();
        _json.Flush();
        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}
