using System.Text.Json;
using System.Text.Json.Serialization;
using FastEndpoints;
using KoopidDashboard.Infrastructure.Http;
using KoopidDashboard.Infrastructure.Time;
using Interactions = KoopidDashboard.Features.Dashboard.Interactions;
using Analytics = KoopidDashboard.Features.Dashboard.Analytics.Run;
using Redacted = KoopidDashboard.Features.Dashboard.RedactedMessages;

namespace KoopidDashboard.Tests.Infrastructure.Http;

/// <summary>
/// Every request and response body is serialised from source-generated metadata (issue 6): a new endpoint whose types
/// are missing from <see cref="KoopidJsonContext"/> fails here instead of silently falling back to reflection.
/// </summary>
public sealed class SerializerContextTests
{
    /// <summary>TReq and TRes of every FastEndpoints endpoint in the service, found by reflection like the endpoint inventory.</summary>
    public static IReadOnlyList<(Type Endpoint, Type Body)> EndpointBodies() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEndpoint).IsAssignableFrom(t))
            .SelectMany(t => BodyTypes(t).Select(body => (t, body)))
            .ToList();

    private static IEnumerable<Type> BodyTypes(Type endpoint)
    {
        for (var type = endpoint.BaseType; type is not null; type = type.BaseType)
        {
            if (!type.IsGenericType)
                continue;
            var definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Endpoint<,>) || definition == typeof(EndpointWithoutRequest<>) || definition == typeof(Endpoint<>))
                return type.GetGenericArguments().Where(a => a != typeof(EmptyRequest) && a != typeof(EmptyResponse) && a != typeof(object));
        }
        return [];
    }

    [Fact]
    public void Every_endpoint_request_and_response_type_is_in_the_context()
    {
        var bodies = EndpointBodies();
        Assert.True(bodies.Count >= 20, $"found only {bodies.Count} endpoint body types: the discovery is broken");
        var missing = bodies.Where(b => KoopidJsonContext.Default.GetTypeInfo(b.Body) is null)
            .Select(b => $"{b.Endpoint.FullName}: {b.Body.FullName}")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Problem_bodies_and_streamed_rows_are_in_the_context()
    {
        foreach (var type in new[] { typeof(FastEndpoints.ProblemDetails), typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), typeof(ProblemError[]), typeof(Redacted.MessageRow) })
            Assert.NotNull(KoopidJsonContext.Default.GetTypeInfo(type));
    }

    [Fact]
    public void The_context_comes_first_and_its_options_match_the_runtime_ones()
    {
        var runtime = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        KoopidJson.Configure(runtime);
        Assert.Same(KoopidJsonContext.Default, runtime.TypeInfoResolverChain[0]);
        // System.Text.Json uses the generated fast path only when these agree with the context's generation options.
        var generated = KoopidJsonContext.Default.Options;
        Assert.Equal(generated.PropertyNamingPolicy, runtime.PropertyNamingPolicy);
        Assert.Equal(generated.DefaultIgnoreCondition, runtime.DefaultIgnoreCondition);
        Assert.Equal(generated.NumberHandling, runtime.NumberHandling);
        Assert.Equal(generated.PropertyNameCaseInsensitive, runtime.PropertyNameCaseInsensitive);
        Assert.Empty(runtime.Converters);
    }

    [Fact]
    public void Generated_json_is_byte_identical_to_the_reflection_serializers()
    {
        // What FastEndpoints and the NDJSON writer used before the context: web defaults by reflection, nulls written.
        var reflection = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };
        var generated = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        KoopidJson.Configure(generated);

        var plan = BucketPlan.Create(new DateTime(2026, 3, 8, 5, 0, 0, DateTimeKind.Utc), new DateTime(2026, 3, 10, 4, 0, 0, DateTimeKind.Utc),
            BucketInterval.Day, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        object[] samples =
        [
            new Interactions.Response(1001, plan)
            {
                Buckets = plan.Buckets.Select((b, i) => new Interactions.Bucket(b, i == 0 ? null : new Interactions.Metrics { Started = 3, WaitSecondsAvg = 1.5 })).ToList(),
                Totals = new Interactions.Metrics { Started = 3, Answered = 2, HandleSecondsAvg = 0.1 + 0.2 },
            },
            new Analytics.Response(1001, plan)
            {
                AnalysisType = "aggregate",
                Metrics = ["offered", "waitAvg"],
                GroupBy = ["channel"],
                Totals = new Dictionary<string, object?> { ["offered"] = 7L, ["waitAvg"] = null, ["ratio"] = 1d / 3, ["channel"] = "sms", ["hour"] = 23 },
                Rows = [new Dictionary<string, object?> { ["channel"] = "webchat \"é\" <b>", ["offered"] = 0L }],
            },
            new Redacted.MessageRow { MessageId = 5, SenderType = "customer", Text = "card <CREDIT_CARD> & \u2028", Sentiment = -0.4, EntityTypes = ["CREDIT_CARD"] },
            new[] { new ProblemError("providerId", "required"), new ProblemError("start", "start < end") },
        ];
        foreach (var sample in samples)
        {
            var expected = JsonSerializer.Serialize(sample, sample.GetType(), reflection);
            Assert.Equal(expected, JsonSerializer.Serialize(sample, generated.GetTypeInfo(sample.GetType())));
            Assert.Equal(expected, JsonSerializer.Serialize(sample, sample.GetType(), KoopidJsonContext.Default));
        }
    }
}
