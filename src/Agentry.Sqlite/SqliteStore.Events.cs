using Agentry.Core.Events;

namespace Agentry.Sqlite;

public sealed partial class SqliteStore
{
    public Task<IReadOnlyList<RunEvent>> ListAsync(string runId, int afterSeq, int offset, int limit, CancellationToken cancellationToken)
    {
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than answer a whole log.
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync<IReadOnlyList<RunEvent>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {RunRows.EventColumns} FROM run_events
                    WHERE run_id = $run_id AND seq > $after_seq
                    ORDER BY seq
                    LIMIT $limit OFFSET $offset
                    """,
                    ("$run_id", runId),
                    ("$after_seq", afterSeq),
                    ("$limit", limit),
                    ("$offset", offset));
                return RunRows.ReadEvents(command);
            },
            cancellationToken);
    }

    public Task<int> CountAsync(string runId, int afterSeq, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    "SELECT COUNT(*) FROM run_events WHERE run_id = $run_id AND seq > $after_seq",
                    ("$run_id", runId),
                    ("$after_seq", afterSeq));
                return (int)(long)command.ExecuteScalar()!;
            },
            cancellationToken);

    public Task<IReadOnlyList<RunEvent>> ReadChangesAsync(string runId, long afterPosition, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync<IReadOnlyList<RunEvent>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {RunRows.EventColumns} FROM run_events
                    WHERE run_id = $run_id AND position > $after_position
                    ORDER BY position
                    LIMIT $limit
                    """,
                    ("$run_id", runId),
                    ("$after_position", afterPosition),
                    ("$limit", limit));
                return RunRows.ReadEvents(command);
            },
            cancellationToken);
    }
}
