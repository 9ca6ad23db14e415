using Agentry.Core.Agents;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Server.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Agentry.Server.OpenApi;

/// <summary>
/// Says which fields of each request body the API requires. The framework would mark every constructor parameter of
/// a record required, but the API reads a missing one as null and answers it with its own validation error (so every
/// problem is reported at once), and many are optional. A request type not listed keeps what the framework infers.
/// </summary>
internal sealed class RequestSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>The required fields of each request body type, as the services validate them.</summary>
    public static readonly IReadOnlyDictionary<Type, string[]> RequiredFields = new Dictionary<Type, string[]>
    {
        // Create requires modelStackId, goalPrompt, inputSchema and resultType; PATCH requires nothing (its body description says so).
        [typeof(AgentWrite)] = [],
        [typeof(ToolWrite)] = ["source"],
        [typeof(DriveWrite)] = ["driveId"],
        [typeof(PublishRequest)] = [],
        [typeof(RunBatchRequest)] = ["inputs"],
        [typeof(SchemaValidationRequest)] = ["schema", "instance"],
        [typeof(CreateApiKeyRequest)] = ["name", "scopes"],
        [typeof(CreateOrganizationRequest)] = ["name"],
        [typeof(Agentry.Core.Drives.CreateDriveRequest)] = ["name"],
        [typeof(DriveUploadForm)] = ["file"],
        [typeof(RunFeedbackRequest)] = ["key", "score"],
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(context);
        if (context.JsonPropertyInfo is null && RequiredFields.TryGetValue(context.JsonTypeInfo.Type, out var required))
        {
            schema.Required = required.Length == 0 ? null : new HashSet<string>(required, StringComparer.Ordinal);
        }

        return Task.CompletedTask;
    }
}
