using Agentry.Core.Runs;

namespace Agentry.Core.Storage;

/// <summary>
/// Runs and the writes of their event log. All writes go through <see cref="ApplyAsync"/>, which applies
/// a batch of <see cref="RunWrite"/>s of many runs in one transaction — the engine's writer batches them —
/// plus the engine's claim, lease and watchdog queries.
/// </summary>
public interface IRunStore
{
    /// <summary>
    /// Applies <paramref name="writes"/> in order in one transaction and answers one result per write, in the
    /// same order. A write whose condition fails (a fenced-out worker, a transition from a status the run no
    /// longer has) is <see cref="RunWriteOutcome.Rejected"/> without failing the others; only a storage
    /// failure throws, and then nothing of the batch is applied.
    /// </summary>
    Task<IReadOnlyList<RunWriteResult>> ApplyAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken);

    /// <summary>One run of the organization; null when it has none with that id.</summary>
    Task<Run?> GetAsync(string organizationId, string runId, CancellationToken cancellationToken);

    /// <summary>One run, whatever its organization (engine use only).</summary>
    Task<Run?> GetForEngineAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Runs matching <paramref name="query"/>, newest first.</summary>
    Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="maxRuns"/> of the oldest pending runs for <paramref name="leaseOwner"/>:
    /// each becomes running (attempt + 1, <c>startedAt</c> set if unset, lease until <paramref name="leaseExpiresAt"/>)
    /// and gets <paramref name="statusEvent"/> (from <c>RunStateMachine.Claimed</c>) as its next event, in one
    /// transaction. Answers the claimed runs as stored.
    /// </summary>
    Task<IReadOnlyList<Run>> ClaimAsync(string leaseOwner, int maxRuns, DateTimeOffset leaseExpiresAt, RunEventDraft statusEvent, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the leases that <paramref name="leaseOwner"/> still holds on <paramref name="runIds"/> and answers,
    /// for each of those runs, whether it is still held and whether a cancel was requested.
    /// </summary>
    Task<IReadOnlyList<LeaseState>> RenewLeasesAsync(string leaseOwner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken);

    /// <summary>Running runs whose lease expired before <paramref name="now"/>, oldest lease first.</summary>
    Task<IReadOnlyList<Run>> FindExpiredLeasesAsync(DateTimeOffset now, int maxRuns, CancellationToken cancellationToken);

    /// <summary>Marks a running run as asked to cancel; false when it is not running.</summary>
    Task<bool> RequestCancelAsync(string organizationId, string runId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>How many runs are pending (the queue depth).</summary>
    Task<long> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The organization's runs (only <paramref name="agentId"/>'s when given) whose <see cref="Run.ChangeSeq"/> is
    /// greater than <paramref name="afterChange"/>, in change order, at most <paramref name="limit"/>, each in its
    /// current state: a run changed twice after the cursor appears once, at its latest change. Paging with the last
    /// answered <see cref="Run.ChangeSeq"/> as the next cursor sees every change without gap or duplicate, because a
    /// store must make a change visible only once every change with a lower value is visible (or never will be).
    /// </summary>
    Task<IReadOnlyList<Run>> ReadChangesAsync(string organizationId, string? agentId, long afterChange, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The highest <see cref="Run.ChangeSeq"/> among the organization's runs (0 when it has none): a cursor from which
    /// <see cref="ReadChangesAsync"/> answers only changes made later, for a feed that starts "from now".
    /// </summary>
    Task<long> GetLastChangeAsync(string organizationId, CancellationToken cancellationToken);
}

/// <summary>What a worker learns when it renews a lease.</summary>
public sealed record LeaseState(string RunId, bool StillHeld, bool CancelRequested);

/// <summary>Filters and paging of a run list. Cursor paging (<see cref="BeforeId"/>) and offset paging are exclusive.</summary>
public sealed record RunQuery
{
    public required string OrganizationId { get; init; }

    public string? AgentId { get; init; }

    public string? RevisionId { get; init; }

    public RunStatus? Status { get; init; }

    public string? ErrorCode { get; init; }

    /// <summary>Only runs created at or after this time (inclusive).</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only runs created strictly before this time (exclusive), so consecutive ranges never overlap.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Only runs with an id lower than this (older), for cursor paging; ids sort by creation.</summary>
    public string? BeforeId { get; init; }

    public int Limit { get; init; } = 20;

    public int Offset { get; init; }
}

/// <summary>A page of runs; <see cref="NextBeforeId"/> is set when more runs follow.</summary>
public sealed record RunPage(IReadOnlyList<Run> Items, long Total, string? NextBeforeId);
