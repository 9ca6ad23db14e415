using System.Text.Json;
using Agentry.Core.Common;
using Agentry.Core.Models;
using Agentry.Core.Runtime;
using Agentry.Core.Tools.Mcp;
using Agentry.JsonSchema;

namespace Agentry.Core.Agents;

/// <summary>
/// Turns an <see cref="AgentWrite"/> into a valid <see cref="AgentConfig"/> or refuses it with every problem at
/// once: 422 <c>invalid_schema</c> when the only problems are in <c>inputSchema</c>/<c>resultSchema</c>, otherwise
/// 422 <c>invalid_agent</c> (schema problems included). MCP tools are checked against the configured servers: an
/// unknown server, a tool the server does not have, or a server that cannot be reached (its reason named) is refused.
/// </summary>
public sealed class AgentConfigValidator(IModelStackRegistry? modelStacks = null, McpServerRegistry? mcpServers = null)
{
    /// <summary>The builtin tool types an agent may name.</summary>
    public static IReadOnlyList<string> BuiltinToolTypes { get; } = ["searchWeb", "searchNews", "browseWebsite", "codeInterpreter"];

    private const int MaxNameLength = 200;

    /// <summary>The validated configuration and the non-revisioned fields of <paramref name="write"/>.</summary>
    /// <param name="write">The agent as written.</param>
    /// <param name="existingDrives">
    /// The drive ids of <c>drives</c> that are drives of the agent's organization (the caller looks them up; validation is
    /// synchronous); any other id is refused at <c>/drives/{i}/driveId</c>. Null checks only that ids are present.
    /// </param>
    /// <exception cref="ProblemException">422 with every problem found.</exception>
    public ValidatedAgent Validate(AgentWrite write, IReadOnlySet<string>? existingDrives = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var agentErrors = new List<FieldError>();
        var schemaErrors = new List<FieldError>();

        var name = write.Name?.Trim();
        if (name is { Length: 0 })
        {
            agentErrors.Add(new FieldError("/name", "minLength", "/name must not be empty."));
        }
        else if (name is { Length: > MaxNameLength })
        {
            agentErrors.Add(new FieldError("/name", "maxLength", $"/name must be at most {MaxNameLength} characters."));
        }

        CheckModelStack(write.ModelStackId, agentErrors);
        CheckGoalPrompt(write.GoalPrompt, agentErrors);

        if (IsAbsent(write.InputSchema))
        {
            agentErrors.Add(Required("/inputSchema"));
        }
        else
        {
            CheckSchema("/inputSchema", write.InputSchema, schemaErrors);
        }

        var resultType = write.ResultType switch
        {
            "document" => ResultType.Document,
            "json" => ResultType.Json,
            _ => (ResultType?)null,
        };
        if (write.ResultType is null)
        {
            agentErrors.Add(Required("/resultType"));
        }
        else if (resultType is null)
        {
            agentErrors.Add(new FieldError("/resultType", "enum", $"/resultType must be \"document\" or \"json\", not \"{write.ResultType}\"."));
        }

        var hasResultSchema = !IsAbsent(write.ResultSchema);
        if (resultType == ResultType.Json && !hasResultSchema)
        {
            agentErrors.Add(new FieldError("/resultSchema", "required", "/resultSchema is required when resultType is \"json\"."));
        }
        else if (resultType == ResultType.Document && hasResultSchema)
        {
            agentErrors.Add(new FieldError("/resultSchema", "not", "/resultSchema is only allowed when resultType is \"json\"."));
        }
        else if (hasResultSchema)
        {
            CheckSchema("/resultSchema", write.ResultSchema, schemaErrors);
        }

        var tools = CheckTools(write.Tools, agentErrors);
        var drives = CheckDrives(write.Drives, existingDrives, agentErrors);
        CheckLimits(write.Limits, agentErrors);
        CheckWebhook(write.WebhookUrl, agentErrors);

        if (agentErrors.Count > 0 || schemaErrors.Count > 0)
        {
            var errors = agentErrors.Concat(schemaErrors).ToList();
            var code = agentErrors.Count == 0 ? ProblemCodes.InvalidSchema : ProblemCodes.InvalidAgent;
            throw ProblemException.Unprocessable(code, Describe(errors), errors);
        }

        var config = new AgentConfig
        {
            ModelStackId = write.ModelStackId!,
            GoalPrompt = write.GoalPrompt!,
            InputSchema = write.InputSchema.Clone(),
            Tools = tools,
            ResultType = resultType!.Value,
            ResultSchema = hasResultSchema ? write.ResultSchema.Clone() : null,
            CustomPlanningInstructions = write.CustomPlanningInstructions,
            CustomToolCallInstructions = write.CustomToolCallInstructions,
            CustomResultInstructions = write.CustomResultInstructions,
            EnableContextCompression = write.EnableContextCompression ?? false,
            Drives = drives,
            Limits = write.Limits ?? new RunLimits(),
        };
        return new ValidatedAgent(config, name, write.Description, write.WebhookUrl, write.IsActive);
    }

    /// <summary>"N problems: a; b" (or the one message), the <c>message</c> of a problem answer.</summary>
    public static string Describe(IReadOnlyList<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1 ? errors[0].Message : $"{errors.Count} problems: {string.Join("; ", errors.Select(e => e.Message))}";
    }

    private static bool IsAbsent(JsonElement element) => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    private static FieldError Required(string path) => new(path, "required", $"{path} is required.");

    private static void CheckSchema(string path, JsonElement schema, List<FieldError> errors)
    {
        foreach (var error in JsonSchemaCompiler.CheckSchema(schema, options: null))
        {
            var where = path + error.Path;
            errors.Add(new FieldError(where, error.Keyword, $"{where}: {error.Message}", error.SchemaPath));
        }
    }

    private static void CheckGoalPrompt(string? goalPrompt, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(goalPrompt))
        {
            errors.Add(Required("/goalPrompt"));
            return;
        }

        if (!GoalPromptTemplate.TryCompile(goalPrompt, out var error))
        {
            errors.Add(new FieldError("/goalPrompt", "template", $"/goalPrompt is not a valid Handlebars template: {error}"));
        }
    }

    private List<ToolSpec> CheckTools(IReadOnlyList<ToolWrite?>? tools, List<FieldError> errors)
    {
        var specs = new List<ToolSpec>();
        for (var i = 0; tools is not null && i < tools.Count; i++)
        {
            var path = $"/tools/{i}";
            switch (tools[i])
            {
                case null:
                    errors.Add(new FieldError(path, "type", $"{path} must be an object."));
                    break;
                case { Source: "builtin" } tool when tool.Type is not null && BuiltinToolTypes.Contains(tool.Type):
                    specs.Add(new ToolSpec { Source = "builtin", Type = tool.Type });
                    break;
                case { Source: "builtin" } tool:
                    errors.Add(new FieldError(
                        $"{path}/type",
                        tool.Type is null ? "required" : "enum",
                        $"{path}/type must be one of {string.Join(", ", BuiltinToolTypes)}{(tool.Type is null ? string.Empty : $", not \"{tool.Type}\"")}."));
                    break;
                case { Source: "mcp" } tool:
                    CheckMcpTool(path, tool, specs, errors);
                    break;
                case var tool:
                    errors.Add(new FieldError(
                        $"{path}/source",
                        tool.Source is null ? "required" : "enum",
                        $"{path}/source must be \"builtin\" or \"mcp\"."));
                    break;
            }
        }

        return specs;
    }

    private void CheckMcpTool(string path, ToolWrite tool, List<ToolSpec> specs, List<FieldError> errors)
    {
        var valid = true;
        if (string.IsNullOrWhiteSpace(tool.ServerId))
        {
            errors.Add(Required($"{path}/serverId"));
            valid = false;
        }

        for (var j = 0; tool.EnabledTools is not null && j < tool.EnabledTools.Count; j++)
        {
            if (string.IsNullOrWhiteSpace(tool.EnabledTools[j]))
            {
                errors.Add(new FieldError($"{path}/enabledTools/{j}", "minLength", $"{path}/enabledTools/{j} must be a tool name."));
                valid = false;
            }
        }

        if (valid)
        {
            valid = CheckMcpServer(path, tool, errors);
        }

        if (valid)
        {
            specs.Add(new ToolSpec { Source = "mcp", ServerId = tool.ServerId, EnabledTools = tool.EnabledTools?.Select(t => t!).ToList() });
        }
    }

    private bool CheckMcpServer(string path, ToolWrite tool, List<FieldError> errors)
    {
        if (mcpServers is null)
        {
            return true;
        }

        var serverId = tool.ServerId!;
        if (!mcpServers.IsConfigured(serverId))
        {
            var configured = mcpServers.ServerIds.Count == 0 ? "none is configured" : $"configured: {string.Join(", ", mcpServers.ServerIds)}";
            errors.Add(new FieldError($"{path}/serverId", "enum", $"{path}/serverId is \"{serverId}\", which is not a configured MCP server ({configured})."));
            return false;
        }

        // Validation is synchronous; the registry connects at most once per server and keeps the tool list.
        var state = mcpServers.GetAsync(serverId, CancellationToken.None).GetAwaiter().GetResult()!;
        if (!state.Available)
        {
            errors.Add(new FieldError($"{path}/serverId", "available", $"{path}/serverId: {state.Reason}"));
            return false;
        }

        var valid = true;
        var names = state.Tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        for (var j = 0; tool.EnabledTools is not null && j < tool.EnabledTools.Count; j++)
        {
            if (!names.Contains(tool.EnabledTools[j]!))
            {
                errors.Add(new FieldError(
                    $"{path}/enabledTools/{j}",
                    "enum",
                    $"{path}/enabledTools/{j} is \"{tool.EnabledTools[j]}\", which MCP server '{serverId}' does not have (it has: {string.Join(", ", names.Order(StringComparer.Ordinal))})."));
                valid = false;
            }
        }

        return valid;
    }

    private static List<DriveRef> CheckDrives(IReadOnlyList<DriveWrite?>? drives, IReadOnlySet<string>? existingDrives, List<FieldError> errors)
    {
        var refs = new List<DriveRef>();
        for (var i = 0; drives is not null && i < drives.Count; i++)
        {
            if (drives[i]?.DriveId is { Length: > 0 } driveId && existingDrives is not null && !existingDrives.Contains(driveId))
            {
                errors.Add(new FieldError($"/drives/{i}/driveId", "exists", $"/drives/{i}/driveId is \"{driveId}\", which is not a drive of this organization (GET /v1/drives lists them)."));
            }
            else if (drives[i]?.DriveId is { Length: > 0 } known)
            {
                refs.Add(new DriveRef(known));
            }
            else
            {
                errors.Add(Required($"/drives/{i}/driveId"));
            }
        }

        return refs;
    }

    private static void CheckLimits(RunLimits? limits, List<FieldError> errors)
    {
        if (limits is null)
        {
            return;
        }

        Positive("/limits/maxSteps", limits.MaxSteps);
        Positive("/limits/timeoutSeconds", limits.TimeoutSeconds);
        Positive("/limits/maxTokens", limits.MaxTokens);
        Positive("/limits/maxCostUsd", limits.MaxCostUsd);

        void Positive<T>(string path, T? value)
            where T : struct, System.Numerics.INumber<T>
        {
            if (value is { } number && number <= T.Zero)
            {
                errors.Add(new FieldError(path, "exclusiveMinimum", $"{path} must be greater than 0."));
            }
        }
    }

    private static void CheckWebhook(string? webhookUrl, List<FieldError> errors)
    {
        if (webhookUrl is not null
            && !(Uri.TryCreate(webhookUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            errors.Add(new FieldError("/webhookUrl", "format", "/webhookUrl must be an absolute http or https URL."));
        }
    }

    private void CheckModelStack(string? modelStackId, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(modelStackId))
        {
            errors.Add(Required("/modelStackId"));
            return;
        }

        // A known stack whose key is missing is accepted: configuration can be fixed later, and its runs then
        // fail with model_unavailable. Only ids the node has never heard of are refused.
        if (modelStacks is null)
        {
            return;
        }

        var known = modelStacks.Describe().Select(s => s.Id).ToList();
        if (!known.Contains(modelStackId))
        {
            errors.Add(new FieldError("/modelStackId", "enum", $"/modelStackId \"{modelStackId}\" is not a configured model stack; available: {string.Join(", ", known)}."));
        }
    }
}

/// <summary>An agent write that passed validation.</summary>
/// <param name="Config">The configuration, to compare with the latest revision's.</param>
/// <param name="Name">The trimmed name; null when not given.</param>
/// <param name="Description">The description; null when not given.</param>
/// <param name="WebhookUrl">The webhook; null when not given.</param>
/// <param name="IsActive">Whether the agent accepts runs; null when not given.</param>
public sealed record ValidatedAgent(AgentConfig Config, string? Name, string? Description, string? WebhookUrl, bool? IsActive);
