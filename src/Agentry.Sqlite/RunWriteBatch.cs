using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

/// <summary>
/// Applies one <see cref="IRunStore.ApplyAsync"/> batch inside the writer's transaction. It keeps each touched
/// run's status, lease and counters in memory for the length of the batch, so the common case — thousands of
/// appends to a few runs — costs one INSERT per event, and the counters are written once per run at the end.
/// Every write that changes a run row stamps it with the next value of <paramref name="changes"/>.
/// </summary>
internal sealed class RunWriteBatch(WriterStatements statements, SqliteTransaction transaction, ChangeSequence changes)
{
    private readonly Dictionary<string, RunCursor> _cursors = new(StringComparer.Ordinal);
    private readonly RollupWriter _rollups = new(statements, transaction);

    public List<RunWriteResult> ApplyAll(IReadOnlyList<RunWrite> writes)
    {
        var results = new List<RunWriteResult>(writes.Count);
        foreach (var write in writes)
        {
            results.Add(write switch
            {
                AppendEventWrite append => Append(append),
                UpdateEventWrite update => Update(update),
                TransitionWrite transition => Transition(transition),
                CreateRunWrite create => Create(create),
                UsageWrite usage => Usage(usage),
                null => throw new ArgumentException("A batch holds a null write.", nameof(writes)),
                _ => throw new ArgumentException($"Unknown write {write.GetType().Name}.", nameof(writes)),
            });
        }

        FlushCounters();
        return results;
    }

    private RunWriteResult Create(CreateRunWrite write)
    {
        var run = write.Run;
        if (write.Idempotency is { } claim)
        {
            using (var reader = statements.SelectIdempotencyKey.Query(transaction, run.OrganizationId, claim.Key))
            {
                // A key is live until it expires; "now" is the new run's creation time, the moment the request came in.
                if (reader.Read() && reader.GetInt64(2) > SqliteValues.Time(run.CreatedAt))
                {
                    var existingRunId = reader.GetString(0);
                    var sameInput = string.Equals(reader.GetString(1), claim.InputHash, StringComparison.Ordinal);
                    reader.Close();
                    if (!sameInput)
                    {
                        return new RunWriteResult(RunWriteOutcome.Conflict, null, []);
                    }

                    if (ReadRun(existingRunId) is { } existing)
                    {
                        return new RunWriteResult(RunWriteOutcome.Existing, existing, []);
                    }
                }
            }

            statements.UpsertIdempotencyKey.Execute(
                transaction, run.OrganizationId, claim.Key, run.Id, claim.InputHash, SqliteValues.Time(claim.ExpiresAt));
        }

        var changeSeq = changes.Next();
        statements.InsertRun.Execute(
            transaction,
            run.Id,
            run.OrganizationId,
            run.AgentId,
            run.RevisionId,
            SqliteValues.Status(run.Status),
            run.StatusMessage,
            SqliteValues.Json(run.Input),
            run.Error?.Code,
            run.Error?.Message,
            run.Error?.EventSeq,
            SqliteValues.ResultTypeName(run.ResultType),
            SqliteValues.Json(run.ResultData),
            SqliteValues.Json(run.Sources),
            run.Usage.InputTokens,
            run.Usage.OutputTokens,
            run.Usage.TotalTokens,
            SqliteValues.Cost(run.Usage.CostUsd),
            run.Usage.ModelCalls,
            run.Usage.ToolCalls,
            run.Model,
            run.Attempt,
            SqliteValues.Json(run.Metadata),
            run.IdempotencyKey ?? write.Idempotency?.Key,
            SqliteValues.Time(run.CreatedAt),
            SqliteValues.Time(run.StartedAt),
            SqliteValues.Time(run.CompletedAt),
            SqliteValues.Time(run.UpdatedAt),
            changeSeq);
        var statusEvent = InsertEvent(run.Id, seq: 1, position: 1, write.StatusEvent);
        _cursors[run.Id] = new RunCursor(run.Status, leaseOwner: null, leaseExpiresAt: null, lastSeq: 1, lastPosition: 1);

        // The row is exactly what was written (times at the stored millisecond), so no read-back is needed.
        var stored = run with
        {
            IdempotencyKey = run.IdempotencyKey ?? write.Idempotency?.Key,
            LastSeq = 1,
            LastPosition = 1,
            ChangeSeq = changeSeq,
            CreatedAt = SqliteValues.Truncate(run.CreatedAt),
            UpdatedAt = SqliteValues.Truncate(run.UpdatedAt),
        };
        return new RunWriteResult(RunWriteOutcome.Applied, stored, [statusEvent]);
    }

    private RunWriteResult Transition(TransitionWrite write)
    {
        var cursor = Cursor(write.RunId);
        if (cursor is null
            || !write.From.Contains(cursor.Status)
            || (write.LeaseOwner is { } owner && !string.Equals(cursor.LeaseOwner, owner, StringComparison.Ordinal))
            || (write.LeaseExpiredBefore is { } deadline && !(cursor.LeaseExpiresAt < SqliteValues.Time(deadline))))
        {
            return RunWriteResult.Rejected;
        }

        var seq = write.StatusEvent.Seq ?? cursor.LastSeq + 1;
        var position = cursor.LastPosition + 1;
        var statusEvent = InsertEvent(write.RunId, seq, position, write.StatusEvent);
        cursor.Advance(seq, position);

        var fields = write.Changes;
        statements.Transition.Execute(
            transaction,
            write.RunId,
            SqliteValues.Status(write.To),
            SqliteValues.Time(fields.UpdatedAt),
            fields.StatusMessage,
            fields.Error is not null,
            fields.Error?.Code,
            fields.Error?.Message,
            fields.Error?.EventSeq,
            SqliteValues.Json(fields.ResultData),
            fields.Sources is null ? null : SqliteValues.Json(fields.Sources),
            fields.Usage is not null,
            fields.Usage?.InputTokens,
            fields.Usage?.OutputTokens,
            fields.Usage?.TotalTokens,
            fields.Usage is null ? null : SqliteValues.Cost(fields.Usage.CostUsd),
            fields.Usage?.ModelCalls,
            fields.Usage?.ToolCalls,
            fields.Model,
            SqliteValues.Time(fields.StartedAt),
            SqliteValues.Time(fields.CompletedAt),
            fields.ReleaseLease,
            cursor.LastSeq,
            cursor.LastPosition,
            changes.Next(),
            fields.TraceId);
        cursor.Status = write.To;
        cursor.CountersDirty = false;
        if (fields.ReleaseLease)
        {
            cursor.LeaseOwner = null;
            cursor.LeaseExpiresAt = null;
        }

        var stored = ReadRun(write.RunId);
        if (stored is { IsTerminal: true })
        {
            // In the transaction that ends the run, so the rollups never miss or double-count a run.
            _rollups.AddRun(stored);
        }

        return new RunWriteResult(RunWriteOutcome.Applied, stored, [statusEvent]);
    }

    private RunWriteResult Append(AppendEventWrite write)
    {
        if (HeldCursor(write.RunId, write.LeaseOwner) is not { } cursor)
        {
            return RunWriteResult.Rejected;
        }

        var seq = write.Event.Seq ?? cursor.LastSeq + 1;
        var position = cursor.LastPosition + 1;
        var appended = InsertEvent(write.RunId, seq, position, write.Event);
        cursor.Advance(seq, position);
        return new RunWriteResult(RunWriteOutcome.Applied, null, [appended]);
    }

    private RunWriteResult Update(UpdateEventWrite write)
    {
        if (HeldCursor(write.RunId, write.LeaseOwner) is not { } cursor)
        {
            return RunWriteResult.Rejected;
        }

        var position = cursor.LastPosition + 1;
        using var reader = statements.UpdateEvent.Query(
            transaction, write.RunId, write.Seq, position, SqliteValues.Json(write.Data), SqliteValues.Time(write.FinishedAt));
        if (!reader.Read())
        {
            // No such event: nothing to complete, and the position stays unused.
            return RunWriteResult.Rejected;
        }

        var updated = new RunEvent(write.RunId, write.Seq, position, reader.GetString(0), write.Data, reader.GetTime(1), SqliteValues.Truncate(write.FinishedAt));
        cursor.Advance(write.Seq, position);
        return new RunWriteResult(RunWriteOutcome.Applied, null, [updated]);
    }

    private RunWriteResult Usage(UsageWrite write)
    {
        if (HeldCursor(write.RunId, write.LeaseOwner) is null)
        {
            return RunWriteResult.Rejected;
        }

        var usage = write.Usage;
        statements.UpdateUsage.Execute(
            transaction,
            write.RunId,
            usage.InputTokens,
            usage.OutputTokens,
            usage.TotalTokens,
            SqliteValues.Cost(usage.CostUsd),
            usage.ModelCalls,
            usage.ToolCalls,
            write.Model,
            SqliteValues.Time(write.UpdatedAt),
            changes.Next());
        return new RunWriteResult(RunWriteOutcome.Applied, ReadRun(write.RunId), []);
    }

    private RunEvent InsertEvent(string runId, int seq, long position, RunEventDraft draft)
    {
        statements.InsertEvent.Execute(
            transaction,
            runId,
            seq,
            position,
            draft.Type,
            SqliteValues.Json(draft.Data),
            SqliteValues.Time(draft.StartedAt),
            SqliteValues.Time(draft.FinishedAt));
        return new RunEvent(runId, seq, position, draft.Type, draft.Data, SqliteValues.Truncate(draft.StartedAt), SqliteValues.Truncate(draft.FinishedAt));
    }

    /// <summary>The run's cursor when it is running and held by <paramref name="leaseOwner"/> (the fence of worker writes).</summary>
    private RunCursor? HeldCursor(string runId, string leaseOwner) =>
        Cursor(runId) is { Status: RunStatus.Running } cursor && string.Equals(cursor.LeaseOwner, leaseOwner, StringComparison.Ordinal)
            ? cursor
            : null;

    private RunCursor? Cursor(string runId)
    {
        if (_cursors.TryGetValue(runId, out var cached))
        {
            return cached;
        }

        using var reader = statements.SelectCursor.Query(transaction, runId);
        if (!reader.Read())
        {
            return null;
        }

        var cursor = new RunCursor(
            SqliteValues.ParseStatus(reader.GetString(0)),
            reader.GetNullableString(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.GetInt32(3),
            reader.GetInt64(4));
        _cursors[runId] = cursor;
        return cursor;
    }

    /// <summary>The run as stored now, with this batch's pending counters written first.</summary>
    private Run? ReadRun(string runId)
    {
        if (_cursors.TryGetValue(runId, out var cursor))
        {
            FlushCounters(runId, cursor);
        }

        using var reader = statements.SelectRun.Query(transaction, runId);
        return reader.Read() ? RunRows.ReadRun(reader) : null;
    }

    private void FlushCounters()
    {
        foreach (var (runId, cursor) in _cursors)
        {
            FlushCounters(runId, cursor);
        }
    }

    private void FlushCounters(string runId, RunCursor cursor)
    {
        if (cursor.CountersDirty)
        {
            statements.UpdateCounters.Execute(transaction, runId, cursor.LastSeq, cursor.LastPosition);
            cursor.CountersDirty = false;
        }
    }

    /// <summary>What the batch needs to know of a run to check conditions and number events.</summary>
    private sealed class RunCursor(RunStatus status, string? leaseOwner, long? leaseExpiresAt, int lastSeq, long lastPosition)
    {
        public RunStatus Status { get; set; } = status;

        public string? LeaseOwner { get; set; } = leaseOwner;

        public long? LeaseExpiresAt { get; set; } = leaseExpiresAt;

        public int LastSeq { get; private set; } = lastSeq;

        public long LastPosition { get; private set; } = lastPosition;

        /// <summary>True when <see cref="LastSeq"/>/<see cref="LastPosition"/> moved since they were last written to the row.</summary>
        public bool CountersDirty { get; set; }

        public void Advance(int seq, long position)
        {
            LastSeq = Math.Max(LastSeq, seq);
            LastPosition = position;
            CountersDirty = true;
        }
    }
}
