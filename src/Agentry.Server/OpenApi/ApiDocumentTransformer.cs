using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Agentry.Server.OpenApi;

/// <summary>
/// The document as a whole: its title and introduction, the two ways to send an API key, the shared
/// <c>Problem</c> schema, and <c>/healthz</c> and <c>/readyz</c>, which are health-check endpoints the framework
/// does not describe by itself.
/// </summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    /// <summary>The security scheme of the <c>X-API-Key</c> header.</summary>
    public const string ApiKeyScheme = "ApiKey";

    /// <summary>The security scheme of <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public const string BearerScheme = "Bearer";

    /// <summary>The endpoint names of the health checks, as <see cref="AgentryServerExtensions.MapAgentry"/> maps them.</summary>
    public static readonly IReadOnlyList<(string Name, string Path)> HealthEndpoints = [("Healthz", "/healthz"), ("Readyz", "/readyz")];

    private const string HealthTag = "Health";

    private const string Introduction =
        """
        Agentry runs AI agents: define an agent (a goal prompt, a JSON-Schema `inputSchema`, tools, a model stack, a result
        type), start runs of it, follow each run's events live, and read its result.

        Every path below is also served under `/v0.1` for Ag.dev v0.1 clients, with or without a trailing slash.
        Authenticate with `X-API-Key: <key>` or `Authorization: Bearer <key>`; a key sees only its organization's
        resources. Every error is `application/problem+json` (the `Problem` schema). Lists take `limit` (1–100,
        default 20) and `offset` and answer `{items, total, limit, offset}`.
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        document.Info = new OpenApiInfo
        {
            Title = "Agentry API",
            Version = "v1",
            Description = Introduction,
            License = new OpenApiLicense { Name = "MIT", Identifier = "MIT" },
        };

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-API-Key",
            Description = "An API key of the organization. The first start prints the admin key and writes it to `<DataDir>/admin.key`.",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The same API key as a bearer token: `Authorization: Bearer <key>`.",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemResponses.SchemaId] = ProblemResponses.Schema(document);
        document.Components.Schemas[ProblemResponses.ErrorSchemaId] = ProblemResponses.ErrorSchema();
        if (document.Components.Schemas.TryGetValue(nameof(System.Text.Json.JsonElement), out var any) && any is OpenApiSchema anyJson)
        {
            // Inputs, schemas, results and event data are free-form JSON; the framework names their schema after the .NET type.
            anyJson.Description = "Any JSON value.";
        }

        var summaries = context.ApplicationServices.GetServices<EndpointDataSource>()
            .SelectMany(static source => source.Endpoints)
            .Where(static e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null)
            .GroupBy(static e => e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.First().Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary, StringComparer.Ordinal);
        document.Paths ??= [];
        document.Paths["/healthz"] = HealthPath(document, "Healthz", summaries.GetValueOrDefault("Healthz"), Liveness());
        document.Paths["/readyz"] = HealthPath(document, "Readyz", summaries.GetValueOrDefault("Readyz"), Readiness());

        document.Tags ??= new HashSet<OpenApiTag>();
        if (!document.Tags.Any(static t => t.Name == HealthTag))
        {
            document.Tags.Add(new OpenApiTag { Name = HealthTag, Description = "Probes for load balancers and orchestrators; no API key." });
        }

        return Task.CompletedTask;
    }

    private static OpenApiPathItem HealthPath(OpenApiDocument document, string operationId, string? summary, OpenApiResponses responses)
    {
        responses["500"] = ProblemResponses.Create(500, description: null, document);
        return new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    OperationId = operationId,
                    Summary = summary,
                    Description = "No API key needed.",
                    Tags = new HashSet<OpenApiTagReference> { new(HealthTag, document) },
                    Responses = responses,
                },
            },
        };
    }

    private static OpenApiResponses Liveness() => new()
    {
        ["200"] = new OpenApiResponse
        {
            Description = "The process is up.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("Healthy")] }, Example = JsonValue.Create("Healthy") },
            },
        },
    };

    private static OpenApiResponses Readiness()
    {
        OpenApiMediaType Report(string status) => new()
        {
            Schema = ReadinessSchema(),
            Example = new JsonObject
            {
                ["status"] = status,
                ["checks"] = new JsonObject
                {
                    ["store"] = new JsonObject { ["status"] = "Healthy", ["description"] = null, ["data"] = new JsonObject() },
                    ["workers"] = new JsonObject
                    {
                        ["status"] = status,
                        ["description"] = status == "Healthy" ? "Workers are taking runs." : "The run dispatcher is not running; this node takes no runs.",
                        ["data"] = new JsonObject { ["queueDepth"] = 3, ["activeRuns"] = 2, ["concurrency"] = 32 },
                    },
                },
            },
        };

        return new OpenApiResponses
        {
            ["200"] = new OpenApiResponse
            {
                Description = "Ready: the store is reachable and the workers take runs.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = Report("Healthy") },
            },
            ["503"] = new OpenApiResponse
            {
                Description = "Not ready; `checks` says which check failed and why.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = Report("Unhealthy") },
            },
        };
    }

    private static OpenApiSchema ReadinessSchema()
    {
        static OpenApiSchema Status() => new()
        {
            Type = JsonSchemaType.String,
            Enum = [JsonValue.Create("Healthy"), JsonValue.Create("Degraded"), JsonValue.Create("Unhealthy")],
        };

        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(StringComparer.Ordinal) { "status", "checks" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["status"] = Status(),
                ["checks"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Each check by name (`store`, `workers`).",
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["status"] = Status(),
                            ["description"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                            ["data"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Figures such as `queueDepth`, `activeRuns` and `concurrency`." },
                        },
                    },
                },
            },
        };
    }
}
