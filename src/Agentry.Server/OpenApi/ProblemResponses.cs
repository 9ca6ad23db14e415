using System.Text.Json;
using System.Text.Json.Nodes;
using Agentry.Core.Common;
using Agentry.Server.Http;
using Microsoft.OpenApi;

namespace Agentry.Server.OpenApi;

/// <summary>The documented problem answers: one description and one example per status, all with the shared <c>Problem</c> schema.</summary>
internal static class ProblemResponses
{
    /// <summary>The id of the shared schema in <c>components/schemas</c>.</summary>
    public const string SchemaId = "Problem";

    /// <summary>The id of the schema of one item of <c>errors</c>.</summary>
    public const string ErrorSchemaId = "ProblemError";

    /// <summary>The problem answer for <paramref name="status"/>; <paramref name="description"/> says when, else the status's default.</summary>
    public static OpenApiResponse Create(int status, string? description, OpenApiDocument document)
    {
        var response = new OpenApiResponse
        {
            Description = description ?? DefaultDescription(status),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ApiDocumentation.ProblemContentType] = new()
                {
                    Schema = new OpenApiSchemaReference(SchemaId, document),
                    Example = Example(status, description),
                },
            },
        };
        if (status == StatusCodes.Status429TooManyRequests)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
                },
            };
        }
        else if (status == StatusCodes.Status401Unauthorized)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["WWW-Authenticate"] = new OpenApiHeader
                {
                    Description = "`Bearer`: the key may be sent as a bearer token.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                },
            };
        }

        return response;
    }

    /// <summary>The statuses this API answers with a problem and what each means.</summary>
    public static string DefaultDescription(int status) => status switch
    {
        400 => "The request is invalid (`bad_request`: a parameter or field out of range, named in `errors`) or its body is not valid JSON (`malformed_json`).",
        401 => "No API key, or an unknown or revoked one (`unauthorized`).",
        403 => "The API key lacks the scope this needs (`forbidden`).",
        404 => "Not found (`not_found`); resources of another organization answer the same.",
        409 => "The request conflicts with the resource's state (`conflict`).",
        413 => "The body is larger than `Agentry:Limits:MaxJsonBodyBytes`, 1 MiB by default (`payload_too_large`).",
        415 => "The body is not JSON (`unsupported_media_type`); send `Content-Type: application/json`.",
        422 => "The body is well-formed but invalid (`invalid_input`, `invalid_schema` or `invalid_agent`), with every violation in `errors`; nothing is stored.",
        429 => "Too many requests for this API key (`rate_limited`); retry after `Retry-After` seconds.",
        500 => "An internal error (`internal`): logged on the server, never with a stack trace; the request may be retried.",
        _ => $"The request failed (`{ApiProblems.CodeOf(status)}`).",
    };

    /// <summary>The <c>Problem</c> schema (API.md, Errors): RFC 9457's fields and the ones Ag.dev clients read.</summary>
    public static OpenApiSchema Schema(OpenApiDocument document) => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Every error answer (`application/problem+json`): RFC 9457 fields and the fields Ag.dev v0.1 clients read.",
        Required = new HashSet<string>(StringComparer.Ordinal) { "type", "title", "status", "error", "message", "statusCode", "errors" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "`/problems/<error>`." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status." },
            ["error"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The error code.",
                Enum =
                [
                    .. new[]
                    {
                        ProblemCodes.MalformedJson, ProblemCodes.BadRequest, ProblemCodes.Unauthorized, ProblemCodes.Forbidden, ProblemCodes.NotFound,
                        ApiProblems.MethodNotAllowed, ProblemCodes.Conflict, ProblemCodes.PayloadTooLarge, ProblemCodes.UnsupportedMediaType,
                        ProblemCodes.InvalidInput, ProblemCodes.InvalidSchema, ProblemCodes.InvalidAgent, ProblemCodes.RateLimited, ProblemCodes.Internal,
                    }.Select(static code => (JsonNode)JsonValue.Create(code)),
                ],
            },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong and what to fix, for people." },
            ["statusCode"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status again (Ag.dev clients read this name)." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "Every problem found, each naming where; empty when the problem is the request as a whole.",
                Items = new OpenApiSchemaReference(ErrorSchemaId, document),
            },
        },
    };

    /// <summary>One item of <c>errors</c>.</summary>
    public static OpenApiSchema ErrorSchema() => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string>(StringComparer.Ordinal) { "path", "keyword", "message" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["path"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A JSON Pointer into the body (`/topic`), or the name of a query parameter or header." },
            ["keyword"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The rule that failed (`required`, `maximum`, `range`, …)." },
            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What is wrong there." },
            ["schemaPath"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Where in the JSON Schema the failing keyword is, when a schema is to blame." },
        },
    };

    private static JsonNode? Example(int status, string? description)
    {
        var (message, errors) = status switch
        {
            400 => ("The query parameter 'limit' must be an integer from 1 to 100, not '0'.", new[] { new FieldError("limit", "range", "The query parameter 'limit' must be an integer from 1 to 100, not '0'.") }),
            401 => ("An API key is required: send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.", []),
            403 => ("This API key lacks the 'runs:write' scope.", []),
            404 => ("Agent agt_01JC7Z3V4W5X6Y7Z8A9B0C1D2E was not found.", []),
            413 => ("The request body is larger than the limit of 1048576 bytes.", []),
            415 => ("The request body must be JSON (Content-Type: application/json), not Content-Type 'text/plain'.", []),
            422 => ("2 problems: /topic is required; /depth must be <= 5", new[]
            {
                new FieldError("/topic", "required", "/topic is required"),
                new FieldError("/depth", "maximum", "/depth must be <= 5"),
            }),
            429 => ("Too many requests for this API key; retry after 1 s.", []),
            500 => ("An internal error occurred. It has been logged; the request may be retried.", []),
            _ => (description ?? DefaultDescription(status), Array.Empty<FieldError>()),
        };
        return JsonSerializer.SerializeToNode(ApiProblems.Create(status, ApiProblems.CodeOf(status), message, errors), AgentryJson.Options);
    }
}
