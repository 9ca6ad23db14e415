using System.Text.Json.Nodes;
using Agentry.Core.Organizations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Agentry.Server.OpenApi;

/// <summary>
/// Completes each operation from its endpoint's metadata (<see cref="ApiDocumentation"/>): parameters read by hand and
/// their real types, the request body's description and example, event streams, the security requirement, and every
/// problem answer as <c>application/problem+json</c> with the shared <c>Problem</c> schema and an example.
/// </summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document ?? throw new InvalidOperationException("The operation transformer needs the document being built.");

        DescribeParameters(operation, metadata);
        var hasBody = DescribeRequestBody(operation, metadata);
        DescribeEventStream(operation, metadata);

        var problems = new SortedDictionary<int, string?>();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var scopes = anonymous
            ? []
            : metadata.OfType<IAuthorizeData>().Select(static a => a.Policy).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (!anonymous)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.ApiKeyScheme, document)] = [.. scopes] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentTransformer.BearerScheme, document)] = [.. scopes] },
            ];
            problems[401] = null;
            problems[429] = null;
            if (scopes.Count > 0)
            {
                problems[403] = null;
            }
        }

        operation.Description = Join(operation.Description, AccessSentence(anonymous, scopes));

        var parameters = operation.Parameters ?? [];
        if (parameters.Any(static p => p.In == ParameterLocation.Path))
        {
            problems[404] = null;
        }

        if (hasBody || parameters.Any(static p => p.In is ParameterLocation.Query or ParameterLocation.Header))
        {
            problems[400] = null;
        }

        if (hasBody)
        {
            problems[413] = null;
            problems[415] = null;
        }

        problems[500] = null;
        foreach (var declared in metadata.OfType<ProblemResponseMetadata>())
        {
            if (declared.Description is not null || !problems.ContainsKey(declared.Status))
            {
                problems[declared.Status] = declared.Description;
            }
        }

        operation.Responses ??= [];
        foreach (var (status, description) in problems)
        {
            operation.Responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = ProblemResponses.Create(status, description, document);
        }

        return Task.CompletedTask;
    }

    /// <summary>Adds the parameters declared with <c>WithParameters</c> and gives known ones their real schema and description.</summary>
    private static void DescribeParameters(OpenApiOperation operation, IList<object> metadata)
    {
        operation.Parameters ??= [];
        foreach (var declared in metadata.OfType<DocumentedParameterMetadata>().Select(static m => m.Parameter))
        {
            var existing = operation.Parameters.FirstOrDefault(p => p.Name == declared.Name && p.In == declared.In);
            if (existing is not null)
            {
                operation.Parameters.Remove(existing);
            }

            operation.Parameters.Add(Create(declared));
        }

        for (var i = 0; i < operation.Parameters.Count; i++)
        {
            var parameter = operation.Parameters[i];
            if (parameter.In == ParameterLocation.Query && parameter.Name is { } name && ApiParameters.Universal.TryGetValue(name, out var known)
                && !metadata.OfType<DocumentedParameterMetadata>().Any(m => m.Parameter.Name == name))
            {
                operation.Parameters[i] = Create(known);
            }
        }
    }

    private static OpenApiParameter Create(ApiParameter parameter) => new()
    {
        Name = parameter.Name,
        In = parameter.In,
        Description = parameter.Description,
        Required = parameter.Required,
        Schema = parameter.CreateSchema(),
    };

    /// <summary>Gives a body declared with <c>AcceptsJson</c> or <c>AcceptsForm</c> its description and example; true when the endpoint takes a body.</summary>
    private static bool DescribeRequestBody(OpenApiOperation operation, IList<object> metadata)
    {
        if (operation.RequestBody is not OpenApiRequestBody body || body.Content is null)
        {
            return false;
        }

        var declared = metadata.OfType<RequestBodyMetadata>().LastOrDefault();
        if (declared is not null)
        {
            body.Description = declared.Description ?? body.Description;
            if (declared.Example is not null)
            {
                foreach (var media in body.Content.Where(static c => IsJson(c.Key)).Select(static c => c.Value).OfType<OpenApiMediaType>())
                {
                    media.Example = JsonNode.Parse(declared.Example);
                }
            }
        }

        return body.Content.Count > 0;
    }

    private static void DescribeEventStream(OpenApiOperation operation, IList<object> metadata)
    {
        if (metadata.OfType<EventStreamMetadata>().LastOrDefault() is not { } stream)
        {
            return;
        }

        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue("200", out var existing) || existing is not OpenApiResponse response)
        {
            response = new OpenApiResponse();
            operation.Responses["200"] = response;
        }

        if (string.IsNullOrEmpty(response.Description))
        {
            response.Description = "OK";
        }

        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content[ApiDocumentation.EventStreamContentType] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = stream.Description },
        };
    }

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static string AccessSentence(bool anonymous, List<string> scopes)
    {
        if (anonymous)
        {
            return "No API key needed.";
        }

        if (scopes.Count == 0)
        {
            return "Needs an API key of the organization (`X-API-Key` or `Authorization: Bearer`).";
        }

        var named = string.Join(" and ", scopes.Select(static s => $"`{s}`"));
        return scopes.All(static s => s is ApiScopes.Admin or ApiScopes.System)
            ? $"Needs an API key with the {named} scope."
            : $"Needs an API key with the {named} scope (an `admin` key has every scope of its organization).";
    }

    private static string Join(string? description, string sentence) =>
        string.IsNullOrWhiteSpace(description) ? sentence : $"{description.TrimEnd()}\n\n{sentence}";
}
