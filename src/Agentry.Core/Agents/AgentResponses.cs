using System.Text.Json;

namespace Agentry.Core.Agents;

/// <summary>The API's Agent object: flat, with the configuration of the latest revision (Ag.dev v0.1 style).</summary>
public sealed record AgentResponse(
    string Id,
    string Name,
    string? Description,
    string ModelStackId,
    string GoalPrompt,
    JsonElement InputSchema,
    IReadOnlyList<ToolSpec> Tools,
    ResultType ResultType,
    JsonElement? ResultSchema,
    string? CustomPlanningInstructions,
    string? CustomToolCallInstructions,
    string? CustomResultInstructions,
    bool EnableContextCompression,
    IReadOnlyList<DriveRef> Drives,
    RunLimits Limits,
    string? WebhookUrl,
    bool IsActive,
    string LatestRevisionId,
    string? PublishedRevisionId,
    bool IsPublished,
    bool HasChanges,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// The Agent object of <paramref name="agent"/> whose latest revision is <paramref name="latest"/>.
    /// <c>hasChanges</c> is true while the latest revision is not the published one, including before the first publish.
    /// </summary>
    public static AgentResponse From(Agent agent, AgentRevision latest)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(latest);
        var config = latest.Config;
        return new AgentResponse(
            agent.Id,
            agent.Name,
            agent.Description,
            config.ModelStackId,
            config.GoalPrompt,
            config.InputSchema,
            config.Tools,
            config.ResultType,
            config.ResultSchema,
            config.CustomPlanningInstructions,
            config.CustomToolCallInstructions,
            config.CustomResultInstructions,
            config.EnableContextCompression,
            config.Drives,
            config.Limits,
            agent.WebhookUrl,
            agent.IsActive,
            agent.LatestRevisionId,
            agent.PublishedRevisionId,
            IsPublished: agent.PublishedRevisionId is not null,
            HasChanges: agent.PublishedRevisionId != agent.LatestRevisionId,
            agent.CreatedAt,
            agent.UpdatedAt);
    }
}

/// <summary>One item of <c>GET /v1/agents/{agentId}/revisions</c>.</summary>
public sealed record RevisionSummary(string Id, string AgentId, DateTimeOffset CreatedAt, bool IsPublished);

/// <summary>The answer of <c>GET /v1/agents/{agentId}/revisions/{revisionId}</c>.</summary>
public sealed record RevisionResponse(string Id, string AgentId, DateTimeOffset CreatedAt, bool IsPublished, AgentConfig Config);

/// <summary>The configuration fields that differ between two revisions, keyed by field name.</summary>
public sealed record RevisionDiff(string From, string To, IReadOnlyDictionary<string, FieldChange> Diff);

/// <summary>One field's value in the <c>from</c> revision and in the <c>to</c> revision.</summary>
public sealed record FieldChange(JsonElement From, JsonElement To);
