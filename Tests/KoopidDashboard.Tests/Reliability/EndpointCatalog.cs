using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FastEndpoints;
using FluentValidation;
using FluentValidation.Validators;
using KoopidDashboard.Infrastructure.Security;
using KoopidDashboard.Tests.Infrastructure.Security;
using KoopidDashboard.Tests.Support;

namespace KoopidDashboard.Tests.Reliability;

/// <summary>
/// Every registered endpoint, one <see cref="EndpointCase"/> per route × verb, discovered from the running app's
/// FastEndpoints definitions (<see cref="EndpointInventoryTests.Definitions"/>): a slice merged later is covered
/// by the reliability suites without touching them.
/// <para>
/// Theories read the catalogue at run time (<c>DisableDiscoveryEnumeration</c>): their class fixture starts the app and
/// calls <see cref="Capture"/> before xunit enumerates the rows. The definitions are the same in every app instance.
/// </para>
/// </summary>
public static class EndpointCatalog
{
    private static readonly ConcurrentDictionary<string, EndpointCase> Cases = new();

    public static IReadOnlyList<EndpointCase> All =>
        Cases.IsEmpty ? throw new InvalidOperationException("No app has captured the endpoint list yet (class fixture missing?).")
            : Cases.Values.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();

    public static EndpointCase Get(string key) => Cases[key];

    public static void Capture(KoopidApp app)
    {
        foreach (var d in EndpointInventoryTests.Definitions(app))
            foreach (var route in d.Routes)
                foreach (var verb in d.Verbs)
                {
                    var c = new EndpointCase(verb, route, d);
                    Cases.TryAdd(c.Key, c);
                }
    }
}

/// <summary>One route and verb of an endpoint, with what the SPEC §2 rule needs to know about it and a generic valid request.</summary>
public sealed partial class EndpointCase(string verb, string route, EndpointDefinition definition)
{
    public string Verb { get; } = verb;
    public string Route { get; } = "/" + route.TrimStart('/');
    public EndpointDefinition Definition { get; } = definition;
    public string Key => $"{Verb} {Route}";
    public override string ToString() => Key;

    public IReadOnlyList<string> Roles => Definition.AllowedRoles ?? [];
    public bool Allows(string role) => Roles.Contains(role);
    public bool IsPost => Verb == "POST";
    public bool IsIngest => Route.StartsWith("/Ingest/", StringComparison.OrdinalIgnoreCase);
    public bool ProviderScoped => typeof(IProviderScoped).IsAssignableFrom(Definition.ReqDtoType);
    public bool PlatformWideAllowed => typeof(IPlatformWideAllowed).IsAssignableFrom(Definition.ReqDtoType);
    public IReadOnlyList<string> RouteParameters => RouteParameter().Matches(Route).Select(m => m.Groups[1].Value).ToList();
    public bool ProviderInRoute => RouteParameters.Contains("providerId", StringComparer.OrdinalIgnoreCase);

    /// <summary>SPEC §3: POST /Dashboard/* answers 201 Created, every GET (and ingest) 200.</summary>
    public int SuccessStatus => IsPost && Route.StartsWith("/Dashboard/", StringComparison.OrdinalIgnoreCase) ? 201 : 200;

    /// <summary>The request properties by their wire name (the JSON/query name, or [BindFrom]).</summary>
    public IReadOnlyDictionary<string, PropertyInfo> Properties =>
        Definition.ReqDtoType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(WireName, p => p, StringComparer.OrdinalIgnoreCase);

    private static string WireName(PropertyInfo p) =>
        p.GetCustomAttribute<BindFromAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);

    /// <summary>
    /// The smallest valid request, built generically:
    /// <list type="bullet">
    /// <item><c>start</c>/<c>end</c>, when the request has them, cover the seeded day (<paramref name="start"/>, +24 h);</item>
    /// <item>properties the endpoint's validator requires (NotNull/NotEmpty) take the value of the endpoint's own
    /// documented <c>ExampleRequest</c> (e.g. UserActivity's <c>for</c>), else a plausible literal;</item>
    /// <item>everything else is left to its default, so no example filter narrows what a leak check can see.</item>
    /// </list>
    /// </summary>
    private static readonly HashSet<string> Filters = new(StringComparer.OrdinalIgnoreCase)
        { "channel", "interactionType", "queueId", "agentId", "botId", "intent", "topic" };

    public JsonObject ValidFields(long start)
    {
        var fields = new JsonObject();
        var properties = Properties;
        if (properties.ContainsKey("start") && properties.ContainsKey("end"))
        {
            fields["start"] = start;
            fields["end"] = start + 86_400_000;
        }
        var example = Example();
        foreach (var name in RequiredProperties())
            if (!fields.ContainsKey(name) && !name.Equals("providerId", StringComparison.OrdinalIgnoreCase))
                fields[name] = example?[name]?.DeepClone() ?? Plausible(properties[name].PropertyType);
        // Option lists the example's route value depends on (Analytics' aggregate needs its metrics): array-valued
        // example fields that are not SPEC §3 filters, so nothing narrows what a leak check can see.
        foreach (var (name, value) in example ?? [])
            if (value is JsonArray && !fields.ContainsKey(name) && !Filters.Contains(name))
                fields[name] = value.DeepClone();
        return fields;
    }

    /// <summary>A value for a route parameter other than providerId: the example's, else the first value of an enum, else "volume".</summary>
    public string RouteValue(string name)
    {
        if (Example()?[name] is JsonValue v)
            return v.ToString();
        var property = Properties.GetValueOrDefault(name);
        var type = property is null ? null : Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return type is { IsEnum: true } ? Enum.GetNames(type)[0] : "volume";
    }

    /// <summary>The path with every route parameter filled: providerId with <paramref name="providerIdInRoute"/>, others by <paramref name="routeValue"/> (default <see cref="RouteValue"/>).</summary>
    public string Path(string? providerIdInRoute, Func<string, string>? routeValue = null) =>
        RouteParameter().Replace(Route, m => m.Groups[1].Value.Equals("providerId", StringComparison.OrdinalIgnoreCase)
            ? Escape(providerIdInRoute ?? "")
            : Escape((routeValue ?? RouteValue)(m.Groups[1].Value)));

    /// <summary>A request for these fields: POST → JSON body (+ <paramref name="query"/>), GET → all in the query string.</summary>
    public HttpRequestMessage Build(string path, JsonObject fields, IEnumerable<KeyValuePair<string, string>>? query = null)
    {
        var pairs = new List<KeyValuePair<string, string>>(query ?? []);
        HttpContent? content = null;
        if (IsPost && !IsIngest)
            content = new StringContent(fields.ToJsonString(), Encoding.UTF8, "application/json");
        else
            foreach (var (name, value) in fields)
                pairs.AddRange(QueryValues(name, value));
        var url = pairs.Count == 0 ? path : path + "?" + string.Join('&', pairs.Select(p => $"{Escape(p.Key)}={Escape(p.Value)}"));
        return new HttpRequestMessage(new HttpMethod(Verb), url) { Content = content };
    }

    public static IEnumerable<KeyValuePair<string, string>> QueryValues(string name, JsonNode? value) => value switch
    {
        null => [],
        JsonArray array => array.Select(item => new KeyValuePair<string, string>(name, item?.ToString() ?? "")),
        _ => [new KeyValuePair<string, string>(name, value.ToString())],
    };

    /// <summary>Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD instead of throwing, as Uri.EscapeDataString would).</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private JsonObject? Example() =>
        Definition.EndpointSummary?.ExampleRequest is { } example
            ? JsonSerializer.SerializeToNode(example, example.GetType(), new JsonSerializerOptions(JsonSerializerDefaults.Web))?.AsObject()
            : null;

    private IEnumerable<string> RequiredProperties()
    {
        // The definition's validator, else the request's validator as FastEndpoints finds it (one IValidator<TRequest> in the assembly).
        var wanted = typeof(IValidator<>).MakeGenericType(Definition.ReqDtoType);
        var type = Definition.ValidatorType ?? Definition.ReqDtoType.Assembly.GetTypes().FirstOrDefault(t => !t.IsAbstract && wanted.IsAssignableFrom(t));
        if (type is null || Activator.CreateInstance(type) is not IValidator validator)
            return [];
        // Member names follow the configured resolver (FastEndpoints camel-cases them): compare without case.
        var required = validator.CreateDescriptor().GetMembersWithValidators()
            .Where(g => g.Any(v => v.Validator is INotNullValidator or INotEmptyValidator))
            .Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return Properties.Where(p => required.Contains(p.Key) || required.Contains(p.Value.Name)).Select(p => p.Key).ToList();
    }

    private static JsonNode Plausible(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) ? "volume" : type.IsEnum ? Enum.GetNames(type)[0] : JsonValue.Create(1);
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}
