using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Core.Agents;

/// <summary>What a run of an agent does: everything that is revisioned (DESIGN.md §3).</summary>
public sealed record AgentConfig
{
    public required string ModelStackId { get; init; }

    /// <summary>A Handlebars template rendered over the run's input.</summary>
    public required string GoalPrompt { get; init; }

    public required JsonElement InputSchema { get; init; }

    public IReadOnlyList<ToolSpec> Tools { get; init; } = [];

    public required ResultType ResultType { get; init; }

    /// <summary>Required when <see cref="ResultType"/> is <see cref="ResultType.Json"/>, refused otherwise.</summary>
    public JsonElement? ResultSchema { get; init; }

    public string? CustomPlanningInstructions { get; init; }

    public string? CustomToolCallInstructions { get; init; }

    public string? CustomResultInstructions { get; init; }

    public bool EnableContextCompression { get; init; }

    public IReadOnlyList<DriveRef> Drives { get; init; } = [];

    public RunLimits Limits { get; init; } = new();
}

/// <summary>The shape of a run's result.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResultType>))]
public enum ResultType
{
    [JsonStringEnumMemberName("document")]
    Document,

    [JsonStringEnumMemberName("json")]
    Json,
}

/// <summary>A tool an agent may use: a builtin (<c>searchWeb</c>, …) or the tools of an MCP server.</summary>
/// <remarks>The fields of the other source are left out of JSON rather than written as null, so a tool reads as API.md shows it.</remarks>
public sealed record ToolSpec
{
    /// <summary><c>builtin</c> or <c>mcp</c>.</summary>
    public required string Source { get; init; }

    /// <summary>For builtins: <c>searchWeb</c>, <c>searchNews</c>, <c>browseWebsite</c> or <c>codeInterpreter</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Type { get; init; }

    /// <summary>For MCP tools: the configured server.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ServerId { get; init; }

    /// <summary>For MCP tools: which of the server's tools the agent may call.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? EnabledTools { get; init; }
}

/// <summary>A drive whose files the agent can search and read.</summary>
public sealed record DriveRef(string DriveId);

/// <summary>Bounds on one run; null means the platform default.</summary>
public sealed record RunLimits
{
    /// <summary>The run timeout when <see cref="TimeoutSeconds"/> is not set.</summary>
    public const int DefaultTimeoutSeconds = 600;

    public int? MaxSteps { get; init; }

    public int? TimeoutSeconds { get; init; }

    public long? MaxTokens { get; init; }

    public decimal? MaxCostUsd { get; init; }

    /// <summary>The timeout that applies: <see cref="TimeoutSeconds"/> or the default of 600 s.</summary>
    [JsonIgnore]
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds ?? DefaultTimeoutSeconds);
}
