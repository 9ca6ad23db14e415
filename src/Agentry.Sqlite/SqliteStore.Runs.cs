using System.Text;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Sqlite;

public sealed partial class SqliteStore
{
    public Task<IReadOnlyList<RunWriteResult>> ApplyAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<RunWriteResult>>([]);
        }

        return WriteAsync<IReadOnlyList<RunWriteResult>>(
            (statements, transaction) => new RunWriteBatch(statements, transaction, Changes).ApplyAll(writes),
            cancellationToken);
    }

    public Task<Run?> GetAsync(string organizationId, string runId, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"SELECT {RunRows.RunColumns} FROM runs WHERE id = $id AND organization_id = $organization_id",
                    ("$id", runId),
                    ("$organization_id", organizationId));
                return RunRows.ReadRuns(command).SingleOrDefault();
            },
            cancellationToken);

    public Task<Run?> GetForEngineAsync(string runId, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(transaction, $"SELECT {RunRows.RunColumns} FROM runs WHERE id = $id", ("$id", runId));
                return RunRows.ReadRuns(command).SingleOrDefault();
            },
            cancellationToken);

    public Task<RunPage> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));

        // Only constant fragments are appended; every value travels as a parameter.
        var filters = new StringBuilder("organization_id = $organization_id");
        var parameters = new List<(string Name, object? Value)> { ("$organization_id", query.OrganizationId) };
        AddFilter(query.AgentId, "agent_id = $agent_id", "$agent_id");
        AddFilter(query.RevisionId, "revision_id = $revision_id", "$revision_id");
        AddFilter(query.Status is { } status ? SqliteValues.Status(status) : null, "status = $status", "$status");
        AddFilter(query.ErrorCode, "error_code = $error_code", "$error_code");
        AddFilter(query.CreatedAfter is { } after ? SqliteValues.Time(after) : null, "created_at >= $created_after", "$created_after");
        AddFilter(query.CreatedBefore is { } before ? SqliteValues.Time(before) : null, "created_at < $created_before", "$created_before");
        var where = filters.ToString();

        return ReadAsync(
            (_, transaction) =>
            {
                long total;
                using (var count = Command(transaction, "SELECT COUNT(*) FROM runs WHERE " + where, [.. parameters]))
                {
                    total = (long)count.ExecuteScalar()!;
                }

                var pageWhere = query.BeforeId is null ? where : where + " AND id < $before_id";
                // One row more than asked tells whether another page follows.
                using var list = Command(
                    transaction,
                    $"SELECT {RunRows.RunColumns} FROM runs WHERE {pageWhere} ORDER BY id DESC LIMIT $limit OFFSET $offset",
                    [.. parameters, ("$before_id", query.BeforeId), ("$limit", query.Limit + 1), ("$offset", query.Offset)]);
                var runs = RunRows.ReadRuns(list);
                var more = runs.Count > query.Limit;
                if (more)
                {
                    runs.RemoveAt(runs.Count - 1);
                }

                return new RunPage(runs, total, more ? runs[^1].Id : null);
            },
            cancellationToken);

        void AddFilter(object? value, string condition, string name)
        {
            if (value is not null)
            {
                filters.Append(" AND ").Append(condition);
                parameters.Add((name, value));
            }
        }
    }

    public Task<IReadOnlyList<Run>> ClaimAsync(string leaseOwner, int maxRuns, DateTimeOffset leaseExpiresAt, RunEventDraft statusEvent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseOwner);
        ArgumentNullException.ThrowIfNull(statusEvent);
        if (maxRuns <= 0)
        {
            return Task.FromResult<IReadOnlyList<Run>>([]);
        }

        return WriteAsync<IReadOnlyList<Run>>(
            (statements, transaction) =>
            {
                var runIds = new List<string>(maxRuns);
                using (var pending = statements.SelectPending.Query(transaction, maxRuns))
                {
                    while (pending.Read())
                    {
                        runIds.Add(pending.GetString(0));
                    }
                }

                var claimed = new List<Run>(runIds.Count);
                foreach (var runId in runIds)
                {
                    int seq;
                    long position;
                    using (var counters = statements.ClaimRun.Query(
                               transaction, runId, leaseOwner, SqliteValues.Time(leaseExpiresAt), SqliteValues.Time(statusEvent.StartedAt), Changes.Next()))
                    {
                        counters.Read();
                        seq = counters.GetInt32(0);
                        position = counters.GetInt64(1);
                    }

                    statements.InsertEvent.Execute(
                        transaction,
                        runId,
                        seq,
                        position,
                        statusEvent.Type,
                        SqliteValues.Json(statusEvent.Data),
                        SqliteValues.Time(statusEvent.StartedAt),
                        SqliteValues.Time(statusEvent.FinishedAt));
                    using var read = statements.SelectRun.Query(transaction, runId);
                    read.Read();
                    claimed.Add(RunRows.ReadRun(read));
                }

                return claimed;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<LeaseState>> RenewLeasesAsync(string leaseOwner, IReadOnlyCollection<string> runIds, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseOwner);
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<LeaseState>>([]);
        }

        return WriteAsync<IReadOnlyList<LeaseState>>(
            (statements, transaction) =>
            {
                var states = new List<LeaseState>(runIds.Count);
                foreach (var runId in runIds)
                {
                    using var renewed = statements.RenewLease.Query(transaction, runId, leaseOwner, SqliteValues.Time(leaseExpiresAt));
                    states.Add(renewed.Read()
                        ? new LeaseState(runId, StillHeld: true, CancelRequested: renewed.GetBoolean(0))
                        : new LeaseState(runId, StillHeld: false, CancelRequested: false));
                }

                return states;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<Run>> FindExpiredLeasesAsync(DateTimeOffset now, int maxRuns, CancellationToken cancellationToken)
    {
        if (maxRuns <= 0)
        {
            return Task.FromResult<IReadOnlyList<Run>>([]);
        }

        return ReadAsync<IReadOnlyList<Run>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {RunRows.RunColumns} FROM runs
                    WHERE status = 'running' AND lease_expires_at < $now
                    ORDER BY lease_expires_at, id
                    LIMIT $limit
                    """,
                    ("$now", SqliteValues.Time(now)),
                    ("$limit", maxRuns));
                return RunRows.ReadRuns(command);
            },
            cancellationToken);
    }

    public Task<bool> RequestCancelAsync(string organizationId, string runId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                using var command = Command(
                    transaction,
                    """
                    UPDATE runs SET cancel_requested = 1, updated_at = $now, change_seq = $change_seq
                    WHERE id = $id AND organization_id = $organization_id AND status = 'running'
                    """,
                    ("$id", runId),
                    ("$organization_id", organizationId),
                    ("$now", SqliteValues.Time(now)),
                    ("$change_seq", Changes.Next()));
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);

    public Task<IReadOnlyList<Run>> ReadChangesAsync(string organizationId, string? agentId, long afterChange, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        // Only constant fragments differ; every value travels as a parameter.
        var agentFilter = agentId is null ? string.Empty : " AND agent_id = $agent_id";
        return ReadAsync<IReadOnlyList<Run>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {RunRows.RunColumns} FROM runs INDEXED BY ix_runs_organization_change
                    WHERE organization_id = $organization_id AND change_seq > $after_change{agentFilter}
                    ORDER BY change_seq
                    LIMIT $limit
                    """,
                    ("$organization_id", organizationId),
                    ("$after_change", afterChange),
                    ("$agent_id", agentId),
                    ("$limit", limit));
                return RunRows.ReadRuns(command);
            },
            cancellationToken);
    }

    public Task<long> GetLastChangeAsync(string organizationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationId);
        return ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    "SELECT COALESCE(MAX(change_seq), 0) FROM runs WHERE organization_id = $organization_id",
                    ("$organization_id", organizationId));
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);
    }

    public Task<long> CountPendingAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                // Without ANALYZE statistics the planner would count by scanning a covering index of every run.
                using var command = Command(transaction, "SELECT COUNT(*) FROM runs INDEXED BY ix_runs_pending WHERE status = 'pending'");
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);
}
