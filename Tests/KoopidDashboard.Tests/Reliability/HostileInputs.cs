using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>One generated hostile request: a name to report and how to build it.</summary>
public sealed record FuzzCase(string Name, Func<HttpRequestMessage> Build);

/// <summary>
/// Deterministic hostile-input generator for one endpoint: every family is generated from a seed derived from the
/// endpoint key and family name (FNV-1a, stable across runs and machines), so a failure reproduces exactly.
/// Mutations are applied to every request property of the endpoint (by wire name) on top of its valid request.
/// </summary>
public sealed class HostileInputs(EndpointCase e, long providerId, string? liveCursor)
{
    public const int Seed = 20260308;

    public static readonly string[] Families = ["numbers", "ranges", "zones-intervals", "injection", "long-strings", "limit-cursor", "body", "route-values", "headers"];

    private static readonly string[] BadNumbers =
        ["-1", "0", "1.5", "-0", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e309", "NaN", "Infinity", "0x10", " 12 ", "", "1,000", "١٢٣"];

    private static readonly string[] Injections =
    [
        "' OR '1'='1", "1; DROP TABLE interactions; --", "1)); SELECT pg_sleep(10); --", "$(reboot)", "<script>alert(1)</script>", "{{7*7}}",
        "${jndi:ldap://127.0.0.1/a}", "../../../../etc/passwd", "%00", "\0", "\\", "\"", "\r\nX-Injected: 1", "🙂🙃", "\ud800", "NULL", "undefined", "*", "%", "_",
    ];

    public IEnumerable<FuzzCase> Generate(string family)
    {
        var random = new Random(Seed ^ (int)Fnv($"{e.Key}|{family}"));
        return family switch
        {
            "numbers" => ForEachProperty(BadNumbers),
            "injection" => ForEachProperty(Injections),
            "long-strings" => ForEachProperty(new[] { new string('A', 100_000), new string('\'', 100_000), RandomText(random, 100_000) }.Select(Fit)),
            "ranges" => Ranges(),
            "zones-intervals" => ZonesAndIntervals(),
            "limit-cursor" => LimitAndCursor(random),
            "body" => e.IsPost ? Bodies(random) : QueryEncodings(),
            "route-values" => RouteValues(),
            "headers" => Headers(),
            _ => throw new ArgumentOutOfRangeException(nameof(family)),
        };
    }

    private string ValidPath => e.Path(providerId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private JsonObject Valid() => e.ValidFields(TwoTenantWorld.DayStart);

    /// <summary>The valid request with some fields replaced: POST as raw JSON values (so overflowing literals stay raw), GET as query text.</summary>
    private FuzzCase With(string name, params (string Field, string Text)[] changes) => new(name, () =>
    {
        var fields = Valid();
        if (e.IsPost && !e.IsIngest)
        {
            foreach (var (field, text) in changes)
                fields[field] = AsJson(text);
            return e.Build(ValidPath, fields);
        }
        foreach (var (field, _) in changes)
            fields.Remove(field);
        return e.Build(ValidPath, fields, changes.Select(c => new KeyValuePair<string, string>(c.Field, c.Text)));
    });

    /// <summary>Number-looking text becomes a raw JSON number (1e309, 9223372036854775808); anything else a JSON string.</summary>
    private static JsonNode? AsJson(string text)
    {
        if (text.Length > 0 && text.Length < 40 && (char.IsAsciiDigit(text[0]) || text[0] == '-') && text.All(c => char.IsAsciiDigit(c) || c is '-' or '.' or 'e' or '+'))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
            }
        }
        return JsonValue.Create(text);
    }

    private IEnumerable<FuzzCase> ForEachProperty(IEnumerable<string> values)
    {
        var names = e.Properties.Keys.Append("unknownField").ToList();
        foreach (var value in values)
            foreach (var name in names)
                yield return With($"{name}={Preview(value)}", (name, value));
    }

    private IEnumerable<FuzzCase> Ranges()
    {
        const long day = 86_400_000, start = TwoTenantWorld.DayStart;
        (string, long, long, string?)[] ranges =
        [
            ("start > end", start + day, start, null), ("start = end", start, start, null), ("negative start", -day, start, null),
            ("negative both", -2 * day, -day, null), ("end past year 9999", start, 253_402_300_800_000 + day, null),
            ("whole long range", 0, long.MaxValue, null), ("401 days by day", start - 401 * day, start, "P1D"),
            ("32 days by hour", start - 32 * day, start, "PT1H"), ("2016 quarter-hours", start - 21 * day, start, "PT15M"),
            ("3000 weeks", start - 3000 * 7 * day, start, "P1W"), ("1000 years total", start - 365_000 * day, start, "total"),
            ("month buckets over 400 days", start - 500 * day, start, "P1M"),
        ];
        foreach (var (name, s, end, interval) in ranges)
            yield return interval is null
                ? With(name, ("start", Text(s)), ("end", Text(end)))
                : With(name, ("start", Text(s)), ("end", Text(end)), ("interval", interval));
        yield return With("only start, after now", ("start", Text(start + 400 * day)));
        yield return With("only end, before the epoch", ("end", "-1"));
        yield return With("at far future", ("at", "253402300800001"));
        yield return With("at negative", ("at", "-5"));
    }

    private IEnumerable<FuzzCase> ZonesAndIntervals()
    {
        string[] zones = ["Mars/Olympus_Mons", "UTC+25", "", " ", "../../etc/localtime", "America/New_York\0", "Etc/GMT+99", "utc", "Europe/", "+05:30", "EST5EDT,M3.2.0,M11.1.0"];
        string[] intervals = ["PT1S", "P1Y", "PT0M", "P-1D", "total;", "TOTAL", "pt1h", "P99999999D", "", "PT15M ", "P1W\0", "PT1H30M", "1h"];
        foreach (var zone in zones)
            yield return With($"tz={Preview(zone)}", ("tz", zone));
        foreach (var interval in intervals)
            yield return With($"interval={Preview(interval)}", ("interval", interval));
        yield return With("both unknown", ("tz", "Nowhere/Land"), ("interval", "fortnightly"));
    }

    private IEnumerable<FuzzCase> LimitAndCursor(Random random)
    {
        foreach (var limit in new[] { "2147483647", "2147483648", "1000000000000", "1000000", "-1", "0", "1e9" })
            yield return With($"limit={limit}", ("limit", limit));
        var forged = new List<(string, string)>
        {
            ("empty", ""), ("padding only", "===="), ("dots", "a.b"), ("path", "../../"), ("100k", new string('Q', 100_000)),
            ("ticks overflow", B64("99999999999999999999.1")), ("negative ticks", B64("-1.1")), ("three parts", B64("1.2.3")),
            ("max ticks", B64($"{DateTime.MaxValue.Ticks + 1}.1")), ("sql", B64("1' OR '1'='1.1")), ("not base64", "!!!***"),
        };
        for (var i = 0; i < 6; i++)
        {
            var bytes = new byte[random.Next(4, 80)];
            random.NextBytes(bytes);
            forged.Add(($"random {bytes.Length} bytes", Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')));
        }
        if (liveCursor is { Length: > 0 } live)
            for (var i = 0; i < 6; i++)
            {
                var chars = live.ToCharArray();
                var at = random.Next(chars.Length);
                chars[at] = chars[at] == 'A' ? 'B' : 'A';
                forged.Add(($"tampered at {at}", new string(chars)));
            }
        if (liveCursor is { Length: > 2 } cut)
            forged.Add(("truncated", cut[..(cut.Length / 2)]));
        foreach (var (name, cursor) in forged)
            yield return With($"cursor {name}", ("cursor", cursor));
    }

    private IEnumerable<FuzzCase> Bodies(Random random)
    {
        var path = ValidPath;
        var valid = e.IsIngest ? "{\"type\":\"provider\",\"providerId\":" + providerId + ",\"name\":\"x\",\"timeZone\":\"UTC\"}" : Valid().ToJsonString();
        FuzzCase Raw(string name, byte[] body, string? contentType = "application/json") => new(name, () =>
        {
            var content = new ByteArrayContent(body);
            if (contentType is not null)
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        });
        FuzzCase Text(string name, string body, string? contentType = "application/json") => Raw(name, Encoding.UTF8.GetBytes(body), contentType);

        yield return Text("truncated object", "{");
        yield return Text("truncated array", "[");
        yield return Text("deep arrays (10k)", new string('[', 10_000) + new string(']', 10_000));
        yield return Text("deep objects (10k)", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000));
        yield return Text("deep unclosed (10k)", new string('[', 10_000));
        yield return Raw("invalid UTF-8", [.. "{\"partnerId\":\""u8, 0xC3, 0x28, 0xFF, 0xFE, .. "\"}"u8]);
        yield return Raw("invalid UTF-8 outside strings", [0xFF, 0xFE, 0xFD]);
        yield return Raw("UTF-16 body", Encoding.Unicode.GetBytes(valid), "application/json; charset=utf-16");
        yield return Raw("UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(valid)]);
        foreach (var root in new[] { "null", "\"text\"", "123", "[]", "true", "[{}]" })
            yield return Text($"root {root}", root);
        yield return Text("duplicate keys", "{\"start\":1,\"start\":\"x\",\"providerId\":1,\"providerId\":" + providerId + "}");
        yield return Text("5000-digit number", "{\"start\":" + new string('9', 5000) + "}");
        yield return Text("100k-element filter", "{\"channel\":[" + string.Join(',', Enumerable.Repeat("\"sms\"", 100_000)) + "]}");
        yield return Text("comments and trailing comma", "{/*c*/\"start\":1,}");
        yield return Text("NaN literal", "{\"start\":NaN}");
        yield return Text("lone surrogate escape", "{\"partnerId\":\"\\ud800\"}");
        yield return Text("xml", "<request><start>1</start></request>", "application/xml");
        yield return Text("form", "start=1&end=2", "application/x-www-form-urlencoded");
        yield return Text("multipart", "--b\r\nContent-Disposition: form-data; name=\"start\"\r\n\r\n1\r\n--b--\r\n", "multipart/form-data; boundary=b");
        yield return Text("csv", "start,end\n1,2\n", "text/csv");
        yield return Text("bogus media type", valid, "application/x-evil+json; charset=klingon");
        yield return Text("no content type", valid, null);
        yield return Text("over 1 MiB", "{\"partnerId\":\"" + new string('x', (1 << 20) + 10) + "\"}");
        yield return Text("over the ingest limit", string.Join('\n', Enumerable.Repeat(valid, 2 * 1024 * 1024 / valid.Length + 10)), "application/x-ndjson");
        var noise = new byte[4096];
        random.NextBytes(noise);
        yield return Raw("random bytes", noise);
    }

    private IEnumerable<FuzzCase> QueryEncodings()
    {
        var path = ValidPath;
        var valid = string.Join('&', Valid().SelectMany(p => EndpointCase.QueryValues(p.Key, p.Value))
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        FuzzCase Query(string name, string query) => new(name, () => new HttpRequestMessage(HttpMethod.Get, path + "?" + valid + "&" + query));
        yield return Query("invalid UTF-8 value", "tz=%FF%FE%C3%28");
        yield return Query("invalid UTF-8 key", "%FF%FE=1");
        yield return Query("truncated escape", "start=%");
        yield return Query("bad escape", "end=%zz");
        yield return Query("repeated keys", "start=1&start=2&end=3&end=x");
        yield return Query("1000 parameters", string.Join('&', Enumerable.Range(0, 1000).Select(i => $"p{i}={i}")));
        yield return Query("long key", Fit(new string('k', 100_000)) + "=1");
        yield return Query("array syntax", "channel[]=sms&channel[0]=x&limit[]=1");
        yield return Query("encoded nul", "for=1%00&partnerId=%00");
        yield return new FuzzCase("body on a GET", () => new HttpRequestMessage(HttpMethod.Get, path + "?" + valid) { Content = new StringContent(new string('[', 10_000)) });
    }

    private IEnumerable<FuzzCase> RouteValues()
    {
        string[] values = ["abc", "-1", "0", "9223372036854775808", "1e3", "%2e%2e", "' OR 1=1 --", Fit(new string('9', 100_000)), "🙂", " "];
        foreach (var parameter in e.RouteParameters)
            foreach (var value in values)
            {
                var isProvider = parameter.Equals("providerId", StringComparison.OrdinalIgnoreCase);
                var path = e.Path(isProvider ? value : providerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    name => name == parameter ? value : e.RouteValue(name));
                yield return new FuzzCase($"{{{parameter}}}={Preview(value)}", () => e.Build(path, Valid()));
            }
        if (e.RouteParameters.Any(p => !p.Equals("providerId", StringComparison.OrdinalIgnoreCase)))
            yield return new FuzzCase("unknown route value", () => e.Build(e.Path(providerId.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => "nonexistent"), Valid()));
    }

    private IEnumerable<FuzzCase> Headers()
    {
        FuzzCase Header(string name, string header, string value) => new(name, () =>
        {
            var request = e.Build(ValidPath, Valid());
            request.Headers.TryAddWithoutValidation(header, value);
            return request;
        });
        yield return Header("Accept csv", "Accept", "text/csv");
        yield return Header("Accept xml", "Accept", "application/xml");
        yield return Header("Accept garbage", "Accept", "*/*;q=banana, text/csv;q=2");
        yield return Header("Accept 10k", "Accept", string.Join(", ", Enumerable.Repeat("text/csv", 1000)));
        yield return Header("Accept-Charset klingon", "Accept-Charset", "klingon");
        yield return Header("garbage API key too", "X-Api-Key", "kpd_" + new string('x', 300));
    }

    /// <summary>
    /// Very long values: 100k characters in a JSON body; in a URL (GET query, route) as long as System.Uri allows
    /// (65 519 characters once percent-encoded), halving until it fits.
    /// </summary>
    private string Fit(string value)
    {
        if (e.IsPost && !e.IsIngest)
            return value;
        while (EndpointCase.Escape(value).Length > 50_000)
            value = value[..(value.Length / 2)];
        return value;
    }

    private static string Text(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string B64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        while (builder.Length < length)
            builder.Append(char.ConvertFromUtf32(random.Next(3) == 0 ? random.Next(0x1F300, 0x1F600) : random.Next(0x20, 0xD7FF)));
        return builder.ToString();
    }

    public static string Preview(string value) =>
        value.Length > 24 ? $"{value[..12].Replace("\0", "\\0")}…({value.Length} chars)" : value.Replace("\0", "\\0").Replace("\r", "\\r").Replace("\n", "\\n");

    private static uint Fnv(string text)
    {
        var hash = 2166136261;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619;
        return hash;
    }
}
