using Agentry.Core.Agents;
using Agentry.Core.Common;

namespace Agentry.Core.Storage;

/// <summary>Agents and their immutable revisions. Every call is scoped to one organization.</summary>
public interface IAgentStore
{
    /// <summary>Stores a new agent and its first revision in one transaction.</summary>
    Task CreateAsync(Agent agent, AgentRevision firstRevision, CancellationToken cancellationToken);

    /// <summary>The agent, deleted or not (runs of deleted agents stay readable); null when the organization has no such agent.</summary>
    Task<Agent?> GetAsync(string organizationId, string agentId, CancellationToken cancellationToken);

    /// <summary>The organization's agents that are not deleted, newest first.</summary>
    Task<Page<Agent>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the agent row and, when <paramref name="newRevision"/> is given, adds it — in one transaction —
    /// only if the stored agent still has <paramref name="expectedUpdatedAt"/> (optimistic concurrency).
    /// False when another change came first.
    /// </summary>
    Task<bool> UpdateAsync(Agent agent, AgentRevision? newRevision, DateTimeOffset expectedUpdatedAt, CancellationToken cancellationToken);

    Task<AgentRevision?> GetRevisionAsync(string organizationId, string agentId, string revisionId, CancellationToken cancellationToken);

    /// <summary>The agent's revisions, newest first.</summary>
    Task<Page<AgentRevision>> ListRevisionsAsync(string organizationId, string agentId, PageRequest page, CancellationToken cancellationToken);
}
