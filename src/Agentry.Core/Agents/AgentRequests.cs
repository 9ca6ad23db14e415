using System.Text.Json;

namespace Agentry.Core.Agents;

/// <summary>
/// The writable fields of an agent, as sent to <c>POST /v1/agents</c> (and, merged over the current agent, to
/// <c>PATCH</c>). Everything is nullable so that every missing or wrong field is reported at once by
/// validation instead of failing deserialization at the first one. A <see cref="JsonElement"/> field is
/// <see cref="JsonValueKind.Undefined"/> when absent.
/// </summary>
public sealed record AgentWrite
{
    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? ModelStackId { get; init; }

    public string? GoalPrompt { get; init; }

    public JsonElement InputSchema { get; init; }

    public IReadOnlyList<ToolWrite?>? Tools { get; init; }

    public string? ResultType { get; init; }

    public JsonElement ResultSchema { get; init; }

    public string? CustomPlanningInstructions { get; init; }

    public string? CustomToolCallInstructions { get; init; }

    public string? CustomResultInstructions { get; init; }

    public bool? EnableContextCompression { get; init; }

    public IReadOnlyList<DriveWrite?>? Drives { get; init; }

    public RunLimits? Limits { get; init; }

    public string? WebhookUrl { get; init; }

    public bool? IsActive { get; init; }
}

/// <summary>A tool as written by a client; validated into a <see cref="ToolSpec"/>.</summary>
public sealed record ToolWrite(string? Source, string? Type, string? ServerId, IReadOnlyList<string?>? EnabledTools);

/// <summary>A drive reference as written by a client; validated into a <see cref="DriveRef"/>.</summary>
public sealed record DriveWrite(string? DriveId);

/// <summary>The body of <c>POST /v1/agents/{agentId}/publish</c>; the latest revision when <see cref="RevisionId"/> is null.</summary>
public sealed record PublishRequest(string? RevisionId);
