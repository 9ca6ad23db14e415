using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Client;

/// <summary>An agent (API.md, Agents): flat, with the configuration of its latest revision.</summary>
public sealed record Agent
{
    /// <summary>The agent's id (<c>agt_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>The agent's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>What the agent is for; null when not given.</summary>
    public string? Description { get; init; }

    /// <summary>The model stack its runs use, such as <c>local/offline</c> or <c>openai/default</c>.</summary>
    public string ModelStackId { get; init; } = "";

    /// <summary>The Handlebars template over the run's input that states the goal.</summary>
    public string GoalPrompt { get; init; } = "";

    /// <summary>The JSON Schema every run's input must match.</summary>
    public JsonElement InputSchema { get; init; }

    /// <summary>The tools runs may use; empty when none.</summary>
    public IReadOnlyList<AgentTool> Tools { get; init; } = [];

    /// <summary>Whether a run ends with a Markdown document or a JSON object.</summary>
    public AgentResultType ResultType { get; init; }

    /// <summary>The JSON Schema of a <see cref="AgentResultType.Json"/> result; null for documents.</summary>
    public JsonElement? ResultSchema { get; init; }

    /// <summary>Extra instructions for planning; null when none.</summary>
    public string? CustomPlanningInstructions { get; init; }

    /// <summary>Extra instructions for tool calls; null when none.</summary>
    public string? CustomToolCallInstructions { get; init; }

    /// <summary>Extra instructions for the result; null when none.</summary>
    public string? CustomResultInstructions { get; init; }

    /// <summary>Whether long runs compress their context.</summary>
    public bool EnableContextCompression { get; init; }

    /// <summary>The drives whose files runs can search and read.</summary>
    public IReadOnlyList<AgentDrive> Drives { get; init; } = [];

    /// <summary>Bounds on each run.</summary>
    public AgentLimits Limits { get; init; } = new();

    /// <summary>Where run completions are posted; null when nowhere.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Whether the agent accepts runs.</summary>
    public bool IsActive { get; init; }

    /// <summary>The newest revision (<c>rev_…</c>).</summary>
    public string LatestRevisionId { get; init; } = "";

    /// <summary>The published revision that runs use by default; null before the first publish.</summary>
    public string? PublishedRevisionId { get; init; }

    /// <summary>Whether a revision is published.</summary>
    public bool IsPublished { get; init; }

    /// <summary>Whether the latest revision differs from the published one (true before the first publish).</summary>
    public bool HasChanges { get; init; }

    /// <summary>When the agent was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the agent last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// The fields of an agent to create (<see cref="AgentryClient.CreateAgentAsync"/>) or change
/// (<see cref="AgentryClient.UpdateAgentAsync"/>), and the configuration of a revision. Null fields are not sent: on
/// create the server's defaults apply (only <see cref="ModelStackId"/>, <see cref="GoalPrompt"/>,
/// <see cref="InputSchema"/> and <see cref="ResultType"/> are required), on update they stay as they are.
/// </summary>
public sealed record AgentDefinition
{
    /// <summary>The agent's name.</summary>
    public string? Name { get; init; }

    /// <summary>What the agent is for.</summary>
    public string? Description { get; init; }

    /// <summary>The model stack, such as <c>local/offline</c> (see <see cref="AgentryClient.ListModelStacksAsync"/>).</summary>
    public string? ModelStackId { get; init; }

    /// <summary>A Handlebars template over the input, such as <c>Research {{topic}}.</c></summary>
    public string? GoalPrompt { get; init; }

    /// <summary>The JSON Schema (2020-12 or draft-07) of run inputs.</summary>
    public JsonElement? InputSchema { get; init; }

    /// <summary>The tools runs may use.</summary>
    public IReadOnlyList<AgentTool>? Tools { get; init; }

    /// <summary>Document or JSON results.</summary>
    public AgentResultType? ResultType { get; init; }

    /// <summary>The JSON Schema of results; required for <see cref="AgentResultType.Json"/>, refused otherwise.</summary>
    public JsonElement? ResultSchema { get; init; }

    /// <summary>Extra instructions for planning.</summary>
    public string? CustomPlanningInstructions { get; init; }

    /// <summary>Extra instructions for tool calls.</summary>
    public string? CustomToolCallInstructions { get; init; }

    /// <summary>Extra instructions for the result.</summary>
    public string? CustomResultInstructions { get; init; }

    /// <summary>Whether long runs compress their context.</summary>
    public bool? EnableContextCompression { get; init; }

    /// <summary>The drives runs can search and read.</summary>
    public IReadOnlyList<AgentDrive>? Drives { get; init; }

    /// <summary>Bounds on each run.</summary>
    public AgentLimits? Limits { get; init; }

    /// <summary>Where run completions are posted.</summary>
    public string? WebhookUrl { get; init; }
}

/// <summary>A tool an agent may use: a builtin (<see cref="Type"/>) or the tools of an MCP server (<see cref="ServerId"/>).</summary>
public sealed record AgentTool
{
    /// <summary><c>builtin</c> or <c>mcp</c>.</summary>
    public string Source { get; init; } = "";

    /// <summary>For builtins: <c>searchWeb</c>, <c>searchNews</c>, <c>browseWebsite</c> or <c>codeInterpreter</c>.</summary>
    public string? Type { get; init; }

    /// <summary>For MCP tools: the configured server's id.</summary>
    public string? ServerId { get; init; }

    /// <summary>For MCP tools: which of the server's tools are enabled; all of them when null.</summary>
    public IReadOnlyList<string>? EnabledTools { get; init; }
}

/// <summary>A drive an agent can search and read.</summary>
public sealed record AgentDrive
{
    /// <summary>The drive's id (<c>drv_…</c>).</summary>
    public string DriveId { get; init; } = "";
}

/// <summary>Bounds on one run; null means the platform default.</summary>
public sealed record AgentLimits
{
    /// <summary>The most steps a run may take.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>The run's timeout in seconds (600 when null).</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>The most tokens a run may use.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>The most a run may cost, in US dollars.</summary>
    public decimal? MaxCostUsd { get; init; }
}

/// <summary>The shape of a run's result.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentResultType>))]
public enum AgentResultType
{
    /// <summary>A Markdown document with sources: <c>resultData</c> is <c>{result, sources}</c>.</summary>
    [JsonStringEnumMemberName("document")]
    Document,

    /// <summary>A JSON object valid against the agent's result schema.</summary>
    [JsonStringEnumMemberName("json")]
    Json,
}

/// <summary>One revision in the list of an agent's revisions.</summary>
public sealed record AgentRevisionSummary
{
    /// <summary>The revision's id (<c>rev_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>The agent's id.</summary>
    public string AgentId { get; init; } = "";

    /// <summary>When the revision was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether it is the published revision.</summary>
    public bool IsPublished { get; init; }
}

/// <summary>One revision with its configuration.</summary>
public sealed record AgentRevision
{
    /// <summary>The revision's id (<c>rev_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>The agent's id.</summary>
    public string AgentId { get; init; } = "";

    /// <summary>When the revision was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether it is the published revision.</summary>
    public bool IsPublished { get; init; }

    /// <summary>Its configuration (name, description and webhook are not revisioned and stay null).</summary>
    public AgentDefinition Config { get; init; } = new();
}

/// <summary>The configuration fields that differ between two revisions.</summary>
public sealed record AgentRevisionDiff
{
    /// <summary>The revision compared from.</summary>
    public string From { get; init; } = "";

    /// <summary>The revision compared to.</summary>
    public string To { get; init; } = "";

    /// <summary>Each differing field by name, with its value in both revisions.</summary>
    public IReadOnlyDictionary<string, AgentFieldChange> Diff { get; init; } = new Dictionary<string, AgentFieldChange>();
}

/// <summary>One field's value in the <c>from</c> and the <c>to</c> revision.</summary>
public sealed record AgentFieldChange
{
    /// <summary>The value in the <c>from</c> revision.</summary>
    public JsonElement From { get; init; }

    /// <summary>The value in the <c>to</c> revision.</summary>
    public JsonElement To { get; init; }
}
