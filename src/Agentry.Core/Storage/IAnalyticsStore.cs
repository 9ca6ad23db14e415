using Agentry.Core.Analytics;
using Agentry.Core.Runs;

namespace Agentry.Core.Storage;

/// <summary>
/// The read side of analytics (like Hangfire's <c>IMonitoringApi</c>): it reads the rollups that the run store keeps
/// up to date when runs end, and never shares the write path. Stores keep one rollup cell per organization, agent,
/// revision, model and 15-minute slot of creation time, updated in the same transaction that writes a run's terminal
/// status or its feedback.
/// </summary>
public interface IAnalyticsStore
{
    /// <summary>
    /// The rollup cells and the unfinished runs of <paramref name="scope"/>, read in one snapshot so that every run
    /// counts exactly once: in a cell once it has ended, as an open run before.
    /// </summary>
    Task<AnalyticsSnapshot> ReadAsync(AnalyticsScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Rebuilds every rollup cell from the runs, their <c>tool_call</c> events and their feedback, in one transaction,
    /// and answers how many finished runs it counted. The result equals what the live updates produce.
    /// </summary>
    Task<long> RebuildRollupsAsync(CancellationToken cancellationToken);
}

/// <summary>Which runs an analytics read covers: the organization's (one agent's when set) created in [From, To).</summary>
/// <param name="OrganizationId">Whose runs.</param>
/// <param name="AgentId">One agent's runs only; all agents' when null.</param>
/// <param name="RevisionId">One revision's runs only, when set.</param>
/// <param name="Model">Runs of one model only, when set.</param>
/// <param name="From">Inclusive; on a 15-minute slot boundary.</param>
/// <param name="To">Exclusive; on a 15-minute slot boundary.</param>
public sealed record AnalyticsScope(string OrganizationId, string? AgentId, string? RevisionId, string? Model, DateTimeOffset From, DateTimeOffset To);

/// <summary>What <see cref="IAnalyticsStore.ReadAsync"/> answers.</summary>
public sealed record AnalyticsSnapshot(IReadOnlyList<RollupRow> Cells, IReadOnlyList<OpenRunRow> OpenRuns);

/// <summary>One rollup cell, as <see cref="RollupCell.Encode"/> wrote it, and its key (the organization is the scope's).</summary>
public sealed record RollupRow(string AgentId, string RevisionId, string Model, DateTimeOffset Slot, ReadOnlyMemory<byte> Cell);

/// <summary>A run that has not ended (pending or running), counted by status at its creation time.</summary>
public sealed record OpenRunRow(string AgentId, string RevisionId, RunStatus Status, DateTimeOffset CreatedAt);
