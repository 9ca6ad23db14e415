using System.Text.Json;
using Agentry.Core.Events;
using Agentry.Core.Runs;

namespace Agentry.Core.Storage;

/// <summary>
/// One change to runs and their event log, applied by <see cref="IRunStore.ApplyAsync"/>. Every event
/// creation or change takes the run's next position (<c>LastPosition + 1</c>) inside the transaction.
/// Writes that carry a <c>LeaseOwner</c> are fenced: they apply only while the run is running and held by
/// that owner, so a worker that lost its lease cannot write after the watchdog took over.
/// Writes that change the run row (create, transition, usage) stamp it with the store's next
/// <see cref="Run.ChangeSeq"/>; event appends and updates do not, as run lists do not show them.
/// </summary>
public abstract record RunWrite(string RunId);

/// <summary>
/// Inserts a new pending run with its first event (seq 1, position 1, a <c>status</c> event). With an
/// <paramref name="Idempotency"/> claim, a live claim of the same key in the organization answers the
/// existing run instead (<see cref="RunWriteOutcome.Existing"/>), or <see cref="RunWriteOutcome.Conflict"/>
/// when its input hash differs.
/// </summary>
public sealed record CreateRunWrite(Run Run, RunEventDraft StatusEvent, IdempotencyClaim? Idempotency) : RunWrite(Run.Id);

/// <summary>An idempotency key held for a run until <paramref name="ExpiresAt"/>.</summary>
public sealed record IdempotencyClaim(string Key, string InputHash, DateTimeOffset ExpiresAt);

/// <summary>
/// Changes a run's status (built only by <c>RunStateMachine</c>): applies when the run's status is one of
/// <paramref name="From"/> (and, with <paramref name="LeaseOwner"/>, the lease is held by it), sets the fields
/// of <paramref name="Changes"/>, and appends <paramref name="StatusEvent"/>. When <paramref name="StatusEvent"/>
/// has no seq, the store gives it <c>LastSeq + 1</c>. With <paramref name="LeaseExpiredBefore"/>, it applies only
/// while the lease is still expired at that time (the watchdog must not fail a run whose worker just renewed).
/// </summary>
public sealed record TransitionWrite(
    string RunId,
    IReadOnlyList<RunStatus> From,
    RunStatus To,
    string? LeaseOwner,
    RunChanges Changes,
    RunEventDraft StatusEvent,
    DateTimeOffset? LeaseExpiredBefore = null) : RunWrite(RunId);

/// <summary>The fields a transition sets besides the status; null leaves a field as it is unless noted.</summary>
public sealed record RunChanges
{
    public required DateTimeOffset UpdatedAt { get; init; }

    public string? StatusMessage { get; init; }

    public RunError? Error { get; init; }

    public JsonElement? ResultData { get; init; }

    public IReadOnlyList<RunSource>? Sources { get; init; }

    public RunUsage? Usage { get; init; }

    public string? Model { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The trace id of the execution that ends the run (its <c>invoke_agent</c> span).</summary>
    public string? TraceId { get; init; }

    /// <summary>True to drop the lease (and the cancel request), as when a run ends or is given back.</summary>
    public bool ReleaseLease { get; init; }
}

/// <summary>Appends an event with the seq the run's worker allocated. Fenced by <paramref name="LeaseOwner"/>.</summary>
public sealed record AppendEventWrite(string RunId, string LeaseOwner, RunEventDraft Event) : RunWrite(RunId);

/// <summary>Completes or changes an event in place (same seq, next position). Fenced by <paramref name="LeaseOwner"/>.</summary>
public sealed record UpdateEventWrite(string RunId, string LeaseOwner, int Seq, JsonElement Data, DateTimeOffset? FinishedAt) : RunWrite(RunId);

/// <summary>
/// Records the usage so far while the run is running, so watchers see it grow. Fenced by <paramref name="LeaseOwner"/>.
/// Like a transition it is a change of the run row (it takes the next <see cref="Run.ChangeSeq"/>).
/// </summary>
public sealed record UsageWrite(string RunId, string LeaseOwner, RunUsage Usage, string? Model, DateTimeOffset UpdatedAt) : RunWrite(RunId);

/// <summary>An event before the store gives it a position; <paramref name="Seq"/> null means "the run's next seq".</summary>
public sealed record RunEventDraft(int? Seq, string Type, JsonElement Data, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

/// <summary>How one write fared.</summary>
public enum RunWriteOutcome
{
    /// <summary>Applied.</summary>
    Applied,

    /// <summary>Its condition did not hold (status, lease); nothing of it was applied.</summary>
    Rejected,

    /// <summary>A create whose idempotency key already named a run with the same input: <see cref="RunWriteResult.Run"/> is that run.</summary>
    Existing,

    /// <summary>A create whose idempotency key already named a run with another input.</summary>
    Conflict,
}

/// <summary>
/// The result of one write: its outcome, the run as it stands after the write (for applied creates, transitions
/// and usage writes — the writes that change the run row — and for <see cref="RunWriteOutcome.Existing"/>), and the
/// events it created or changed.
/// </summary>
public sealed record RunWriteResult(RunWriteOutcome Outcome, Run? Run, IReadOnlyList<RunEvent> Events)
{
    public static RunWriteResult Rejected { get; } = new(RunWriteOutcome.Rejected, null, []);
}
