using System.Reflection;
using FastEndpoints;
using KoopidDashboard.Infrastructure.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace KoopidDashboard.Infrastructure.Http;

/// <summary>
/// Microsoft.AspNetCore.OpenApi documents FastEndpoints' POST bodies and 2xx responses by itself; these transformers add
/// what it misses (see STACK-NOTES): GET query and route parameters, the problem responses, and the security schemes.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddKoopidOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            // Every slice names its DTOs Request/Response/Bucket: prefix the slice folder so schemas do not collide.
            o.CreateSchemaReferenceId = type => SchemaId(type.Type) ?? OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Koopid Dashboard API",
                    Version = "v1",
                    Description = "Multi-tenant analytics for the Koopid engagement platform. Times are epoch milliseconds (UTC); "
                        + "POST /Dashboard/* answer 201 Created and GETs 200 OK, as the seed API does.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    ["Bearer"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT", Description = "JWT with claims role and provider_id." },
                    ["ApiKey"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthenticationHandler.HeaderName },
                    ["ApiKeyQuery"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Query, Name = ApiKeyAuthenticationHandler.QueryName },
                };
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas["Problem"] = ProblemSchema();
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKeyQuery", document)] = [] },
                ];
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var definition = context.Description.ActionDescriptor.EndpointMetadata.OfType<EndpointDefinition>().FirstOrDefault();
                if (definition is null)
                    return Task.CompletedTask;
                var isGet = string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase);
                AddParameters(operation, context.Description.RelativePath ?? "", definition.ReqDtoType, isGet);
                if (isGet)
                    operation.RequestBody = null;
                AddSummaryAndExample(operation, definition, isGet);
                AddProblemResponses(operation, context.Document!);
                return Task.CompletedTask;
            });
        });

    private static string? SchemaId(Type type)
    {
        if (type.Namespace is not { } ns || !ns.StartsWith("KoopidDashboard.Features.", StringComparison.Ordinal))
            return null;
        if (type.IsGenericType || type.IsArray)
            return null;
        var nested = type.DeclaringType is { } outer ? outer.Name : "";
        var slice = ns[(ns.LastIndexOf('.') + 1)..];
        var name = nested + type.Name;
        return name.StartsWith(slice, StringComparison.Ordinal) ? name : slice + name;
    }

    private static readonly System.Text.Json.JsonSerializerOptions ExampleJson = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>FastEndpoints keeps Summary(...) on its own definition; copy the text and the example request into the operation.</summary>
    private static void AddSummaryAndExample(OpenApiOperation operation, EndpointDefinition definition, bool isGet)
    {
        if (definition.EndpointSummary is not { } summary)
            return;
        operation.Summary ??= summary.Summary;
        operation.Description ??= summary.Description;
        if (summary.ExampleRequest is not { } example)
            return;
        var node = System.Text.Json.JsonSerializer.SerializeToNode(example, example.GetType(), ExampleJson);
        if (!isGet && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Values)
                media.Example = node;
        }
        else if (node is System.Text.Json.Nodes.JsonObject values && operation.Parameters is { } parameters)
        {
            foreach (var parameter in parameters.OfType<OpenApiParameter>())
                if (values.FirstOrDefault(v => string.Equals(v.Key, parameter.Name, StringComparison.OrdinalIgnoreCase)).Value is { } value)
                    parameter.Example = value.DeepClone();
        }
    }

    private static void AddParameters(OpenApiOperation operation, string path, Type requestType, bool queryFromDto)
    {
        operation.Parameters ??= [];
        var present = operation.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var properties = requestType.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        foreach (var segment in path.Split('/').Where(s => s.StartsWith('{')))
        {
            var name = segment.Trim('{', '}').Split(':')[0].TrimEnd('?');
            if (!present.Add(name))
                continue;
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true, Schema = SchemaFor(property?.PropertyType ?? typeof(string)) });
        }
        if (!queryFromDto)
            return;
        foreach (var property in properties)
        {
            var name = JsonName(property);
            if (!present.Add(name) || property.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is not null)
                continue;
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = false,
                Schema = SchemaFor(property.PropertyType),
                Description = property.GetCustomAttribute<System.ComponentModel.DescriptionAttribute>()?.Description,
            });
        }
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name
        ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    private static OpenApiSchema SchemaFor(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
        {
            var element = type.IsArray ? type.GetElementType()! : type.GetGenericArguments().FirstOrDefault() ?? typeof(string);
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = SchemaFor(element) };
        }
        return type switch
        {
            _ when type == typeof(long) || type == typeof(int) => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = type == typeof(long) ? "int64" : "int32" },
            _ when type == typeof(double) || type == typeof(decimal) => new OpenApiSchema { Type = JsonSchemaType.Number },
            _ when type == typeof(bool) => new OpenApiSchema { Type = JsonSchemaType.Boolean },
            _ => new OpenApiSchema { Type = JsonSchemaType.String },
        };
    }

    private static void AddProblemResponses(OpenApiOperation operation, OpenApiDocument document)
    {
        operation.Responses ??= [];
        foreach (var (status, description) in new[]
                 {
                     ("400", "Invalid request: the problem lists each failing field under errors."),
                     ("401", "Missing or invalid credentials."),
                     ("403", "Role not allowed here, or another provider's data."),
                     ("503", "Database unavailable; retry after the Retry-After seconds."),
                 })
        {
            operation.Responses.Remove(status);
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("Problem", document) },
                },
            };
        }
    }

    /// <summary>The shape every error has: RFC 9457 members plus traceId and the per-field validation errors.</summary>
    private static OpenApiSchema ProblemSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["name"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        ["reason"] = new OpenApiSchema { Type = JsonSchemaType.String },
                    },
                },
            },
        },
    };
}
