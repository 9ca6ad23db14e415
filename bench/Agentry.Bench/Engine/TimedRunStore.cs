using System.Diagnostics;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Bench.Engine;

/// <summary>
/// An <see cref="IRunStore"/> that times <see cref="ApplyAsync"/> (the writer's transactions) and counts the dispatcher's claim
/// transactions, so the scenarios can tell time spent in the store from time spent around it, and count every commit per run.
/// </summary>
internal sealed class TimedRunStore(IRunStore inner) : IRunStore
{
    private long _applyTicks;
    private long _claims;

    /// <summary>Time spent inside <see cref="ApplyAsync"/> so far.</summary>
    public TimeSpan ApplyTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _applyTicks));

    /// <summary>How many claim transactions ran so far.</summary>
    public long Claims => Interlocked.Read(ref _claims);

    public async Task<IReadOnlyList<RunWriteResult>> ApplyAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await inner.ApplyAsync(writes, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref _applyTicks, Stopwatch.GetTimestamp() - start);
        }
    }

    public Task<Run?> GetAsync(string organizationId, string runId, CancellationToken cancellationToken) => inner.GetAsync(organizationId, runId, cancellationToken);

    public Task<Run?> GetForEngineAsync(string runId, CancellationToken cancellationToken) => inner.GetForEngineAsync(runId, cancellationToken);

    public Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken) => inner.ListAsync(query, cancellationToken);

    public Task<IReadOnlyList<Run>> ClaimAsync(string leaseOwner, int maxRuns, DateTimeOffset leaseExpiresAt, RunEventDraft statusEvent, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _claims);
        return inner.ClaimAsync(leaseOwner, maxRuns, leaseExpiresAt, statusEvent, cancellationToken);
    }

    public Task<IReadOnlyList<LeaseState>> RenewLeasesAsync(string leaseOwner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken) =>
        inner.RenewLeasesAsync(leaseOwner, runIds, leaseExpiresAt, cancellationToken);

    public Task<IReadOnlyList<Run>> FindExpiredLeasesAsync(DateTimeOffset now, int maxRuns, CancellationToken cancellationToken) =>
        inner.FindExpiredLeasesAsync(now, maxRuns, cancellationToken);

    public Task<bool> RequestCancelAsync(string organizationId, string runId, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.RequestCancelAsync(organizationId, runId, now, cancellationToken);

    public Task<IReadOnlyList<Run>> ReadChangesAsync(string organizationId, string? agentId, long afterChange, int limit, CancellationToken cancellationToken) =>
        inner.ReadChangesAsync(organizationId, agentId, afterChange, limit, cancellationToken);

    public Task<long> GetLastChangeAsync(string organizationId, CancellationToken cancellationToken) =>
        inner.GetLastChangeAsync(organizationId, cancellationToken);

    public Task<long> CountPendingAsync(CancellationToken cancellationToken) => inner.CountPendingAsync(cancellationToken);
}
