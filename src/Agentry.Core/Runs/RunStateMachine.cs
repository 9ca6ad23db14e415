using System.Text.Json;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Storage;

namespace Agentry.Core.Runs;

/// <summary>
/// The one place that knows how a run's status may change. It checks each transition against the allowed
/// ones, stamps the times, and builds the matching <c>status</c> event; the store applies the write only if
/// the run still has the status it came from, so racing transitions (a cancel and a completion) cannot both win.
/// </summary>
/// <remarks>
/// pending → running (claimed) · pending → error (cancelled before it started) ·
/// running → done · running → error (any code) · running → pending (lease given back on shutdown).
/// done and error are terminal.
/// </remarks>
public sealed class RunStateMachine(TimeProvider time)
{
    private static readonly Dictionary<RunStatus, RunStatus[]> Allowed = new()
    {
        [RunStatus.Pending] = [RunStatus.Running, RunStatus.Error],
        [RunStatus.Running] = [RunStatus.Done, RunStatus.Error, RunStatus.Pending],
        [RunStatus.Done] = [],
        [RunStatus.Error] = [],
    };

    /// <summary>True when a run may move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool CanMove(RunStatus from, RunStatus to) => Allowed[from].Contains(to);

    /// <summary>The write that stores <paramref name="run"/> (which must be pending) with its first status event.</summary>
    public static CreateRunWrite Create(Run run, IdempotencyClaim? idempotency)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatus.Pending)
        {
            throw new InvalidOperationException($"A run is created pending, not {run.Status.ToApiName()}.");
        }

        return new CreateRunWrite(run, StatusEvent(1, RunStatus.Pending, previous: null, reason: null, run.CreatedAt), idempotency);
    }

    /// <summary>The status event a claim appends (pending → running); the store gives it the run's next seq.</summary>
    public RunEventDraft Claimed() => StatusEvent(null, RunStatus.Running, RunStatus.Pending, reason: null, time.GetUtcNow());

    /// <summary>
    /// running → done, written by the worker holding the lease; <paramref name="seq"/> is the worker's next seq and
    /// <paramref name="traceId"/> the trace of the execution, when traced.
    /// </summary>
    public TransitionWrite Complete(string runId, string leaseOwner, int seq, JsonElement resultData, IReadOnlyList<RunSource> sources, RunUsage usage, string? model, string? traceId = null)
    {
        var now = time.GetUtcNow();
        return Move(runId, RunStatus.Running, RunStatus.Done, leaseOwner, seq, reason: null, now, new RunChanges
        {
            UpdatedAt = now,
            CompletedAt = now,
            ResultData = resultData,
            Sources = sources,
            Usage = usage,
            Model = model,
            TraceId = traceId,
            ReleaseLease = true,
        });
    }

    /// <summary>running → error, written by the worker holding the lease; <paramref name="traceId"/> as for <see cref="Complete"/>.</summary>
    public TransitionWrite Fail(string runId, string leaseOwner, int seq, RunError error, RunUsage usage, string? model, string? traceId = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        var now = time.GetUtcNow();
        return Move(runId, RunStatus.Running, RunStatus.Error, leaseOwner, seq, error.Message, now, new RunChanges
        {
            UpdatedAt = now,
            CompletedAt = now,
            StatusMessage = error.Message,
            Error = error,
            Usage = usage,
            Model = model,
            TraceId = traceId,
            ReleaseLease = true,
        });
    }

    /// <summary>pending → error / cancelled: a run cancelled before any worker claimed it.</summary>
    public TransitionWrite CancelPending(string runId)
    {
        var now = time.GetUtcNow();
        var error = new RunError(RunErrorCodes.Cancelled, "Cancelled before it started.", null);
        return Move(runId, RunStatus.Pending, RunStatus.Error, leaseOwner: null, seq: null, error.Message, now, new RunChanges
        {
            UpdatedAt = now,
            CompletedAt = now,
            StatusMessage = error.Message,
            Error = error,
        });
    }

    /// <summary>running → pending: a worker shutting down gives the run back so another worker (or a restart) picks it up.</summary>
    public TransitionWrite Release(string runId, string leaseOwner, int seq, string reason)
    {
        var now = time.GetUtcNow();
        return Move(runId, RunStatus.Running, RunStatus.Pending, leaseOwner, seq, reason, now, new RunChanges
        {
            UpdatedAt = now,
            StatusMessage = reason,
            ReleaseLease = true,
        });
    }

    /// <summary>
    /// running → error / worker_lost for a run whose lease expired: its worker died. The error names the last
    /// event the dead worker wrote, the last good step.
    /// </summary>
    public TransitionWrite WorkerLost(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var now = time.GetUtcNow();
        var lastGood = run.LastSeq > 0 ? $" after event {run.LastSeq}" : string.Empty;
        var error = new RunError(
            RunErrorCodes.WorkerLost,
            $"The worker running this run stopped responding{lastGood} (lease held by {run.LeaseOwner} expired).",
            run.LastSeq > 0 ? run.LastSeq : null);
        return Move(run.Id, RunStatus.Running, RunStatus.Error, run.LeaseOwner, seq: null, error.Message, now, new RunChanges
        {
            UpdatedAt = now,
            CompletedAt = now,
            StatusMessage = error.Message,
            Error = error,
            ReleaseLease = true,
        }) with { LeaseExpiredBefore = now };
    }

    private static TransitionWrite Move(string runId, RunStatus from, RunStatus to, string? leaseOwner, int? seq, string? reason, DateTimeOffset now, RunChanges changes)
    {
        if (!CanMove(from, to))
        {
            throw new InvalidOperationException($"A run cannot move from {from.ToApiName()} to {to.ToApiName()}.");
        }

        return new TransitionWrite(runId, [from], to, leaseOwner, changes, StatusEvent(seq, to, from, reason, now));
    }

    private static RunEventDraft StatusEvent(int? seq, RunStatus status, RunStatus? previous, string? reason, DateTimeOffset at) =>
        new(seq, RunEventTypes.Status, AgentryJson.ToElement(new StatusEventData(status, previous, reason)), at, at);

    private sealed record StatusEventData(RunStatus Status, RunStatus? Previous, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reason);
}
