namespace Agentry.Core.Agents;

/// <summary>
/// An agent: its identity and the settings that are not revisioned. Its configuration lives in
/// <see cref="AgentRevision"/>s; <see cref="LatestRevisionId"/> is the newest and
/// <see cref="PublishedRevisionId"/> the one runs use by default.
/// </summary>
public sealed record Agent(
    string Id,
    string OrganizationId,
    string Name,
    string? Description,
    string? WebhookUrl,
    bool IsActive,
    string LatestRevisionId,
    string? PublishedRevisionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt);

/// <summary>An immutable configuration of an agent.</summary>
public sealed record AgentRevision(
    string Id,
    string AgentId,
    string OrganizationId,
    AgentConfig Config,
    DateTimeOffset CreatedAt);
