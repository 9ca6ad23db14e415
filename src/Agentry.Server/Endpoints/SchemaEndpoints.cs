using System.Text.Json;
using Agentry.Core.Common;
using Agentry.JsonSchema;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>Trying a schema before saving it (API.md, Schemas); used by the console's agent editor and the CLI.</summary>
public static class SchemaEndpoints
{
    public static RouteGroupBuilder MapSchemaEndpoints(this IEndpointRouteBuilder api)
    {
        var schemas = api.MapGroup("/schemas").WithTags("Schemas");

        schemas.MapPost("/validate", ValidateInstance)
            .WithName("ValidateSchemaInstance").WithSummary("Validate an instance against a JSON Schema (2020-12 or draft-07)")
            .WithDescription("An invalid instance is a 200 with `valid: false` and every error; only an invalid schema is a problem. `$ref` reaches only the schemas in `documents`: nothing is fetched over the network.")
            .AcceptsJson<SchemaValidationRequest>(ApiExamples.ValidateSchema, "The schema (its `$schema` picks 2020-12 or draft-07; 2020-12 when absent), the instance, whether `format` is asserted (default true), and schemas that `$ref` may reach by absolute URI.")
            .ProducesProblems(422, "The schema is not a valid JSON Schema (`invalid_schema`); `errors` say where, under `/schema`.");

        return schemas;
    }

    public static async Task<Ok<SchemaValidationResponse>> ValidateInstance(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<SchemaValidationRequest>(request, cancellationToken);
        var errors = new List<FieldError>();
        if (body.Schema.ValueKind == JsonValueKind.Undefined)
        {
            errors.Add(new FieldError("/schema", "required", "/schema is required."));
        }

        // An absent instance is a mistake; an explicit null is a JSON value like any other and is validated.
        if (body.Instance.ValueKind == JsonValueKind.Undefined)
        {
            errors.Add(new FieldError("/instance", "required", "/instance is required."));
        }

        var registry = new JsonSchemaRegistry();
        foreach (var (uri, document) in body.Documents ?? new Dictionary<string, JsonElement>())
        {
            if (Uri.TryCreate(uri, UriKind.Absolute, out _))
            {
                registry.Add(uri, document);
            }
            else
            {
                var path = "/documents/" + uri.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
                errors.Add(new FieldError(path, "format", $"{path}: '{uri}' is not an absolute URI."));
            }
        }

        if (errors.Count > 0)
        {
            throw ProblemException.BadRequest(string.Join("; ", errors.Select(e => e.Message)), errors);
        }

        var options = new JsonSchemaOptions { FormatAssertion = body.FormatAssertion ?? true, Registry = registry };
        CompiledSchema schema;
        try
        {
            schema = JsonSchemaCompiler.Compile(body.Schema, options);
        }
        catch (InvalidJsonSchemaException ex)
        {
            var schemaErrors = ex.Errors.Select(e => new FieldError("/schema" + e.Path, e.Keyword, $"/schema{e.Path}: {e.Message}", e.SchemaPath)).ToList();
            throw ProblemException.Unprocessable(ProblemCodes.InvalidSchema, ex.Message, schemaErrors);
        }

        var result = schema.Validate(body.Instance);
        return TypedResults.Ok(new SchemaValidationResponse(result.IsValid, result.Errors));
    }
}

/// <summary>The body of <c>POST /v1/schemas/validate</c>; a <see cref="JsonElement"/> is <see cref="JsonValueKind.Undefined"/> when absent.</summary>
/// <param name="Schema">The schema to validate against.</param>
/// <param name="Instance">The value to validate.</param>
/// <param name="FormatAssertion">Whether <c>format</c> is asserted; true when absent.</param>
/// <param name="Documents">Schemas that <c>$ref</c> may reach, by absolute URI.</param>
public sealed record SchemaValidationRequest(JsonElement Schema, JsonElement Instance, bool? FormatAssertion, IReadOnlyDictionary<string, JsonElement>? Documents);

/// <summary>The answer of <c>POST /v1/schemas/validate</c>.</summary>
public sealed record SchemaValidationResponse(bool Valid, IReadOnlyList<SchemaError> Errors);
