using System.Text;
using Agentry.Core.Analytics;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

public sealed partial class SqliteStore : IAnalyticsStore, IRunFeedbackStore
{
    public Task<AnalyticsSnapshot> ReadAsync(AnalyticsScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);

        // Only constant fragments are appended; every value travels as a parameter.
        var filters = new StringBuilder("organization_id = $organization_id");
        var parameters = new List<(string Name, object? Value)>
        {
            ("$organization_id", scope.OrganizationId),
            ("$from", SqliteValues.Time(scope.From)),
            ("$to", SqliteValues.Time(scope.To)),
        };
        if (scope.AgentId is { } agentId)
        {
            filters.Append(" AND agent_id = $agent_id");
            parameters.Add(("$agent_id", agentId));
        }

        if (scope.RevisionId is { } revisionId)
        {
            filters.Append(" AND revision_id = $revision_id");
            parameters.Add(("$revision_id", revisionId));
        }

        if (scope.Model is { } model)
        {
            filters.Append(" AND model = $model");
            parameters.Add(("$model", model));
        }

        var where = filters.ToString();
        return ReadAsync(
            (_, transaction) =>
            {
                var cells = new List<RollupRow>();
                using (var command = Command(
                           transaction,
                           $"SELECT agent_id, revision_id, model, slot, cell FROM analytics_rollups WHERE {where} AND slot >= $from AND slot < $to",
                           [.. parameters]))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        cells.Add(new RollupRow(
                            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetTime(3), (byte[])reader.GetValue(4)));
                    }
                }

                var open = new List<OpenRunRow>();
                using (var command = Command(
                           transaction,
                           $"""
                           SELECT agent_id, revision_id, status, created_at FROM runs
                           WHERE {where} AND status IN ('pending', 'running') AND created_at >= $from AND created_at < $to
                           """,
                           [.. parameters]))
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        open.Add(new OpenRunRow(reader.GetString(0), reader.GetString(1), SqliteValues.ParseStatus(reader.GetString(2)), reader.GetTime(3)));
                    }
                }

                return new AnalyticsSnapshot(cells, open);
            },
            cancellationToken);
    }

    public Task<long> RebuildRollupsAsync(CancellationToken cancellationToken) =>
        WriteAsync((statements, transaction) => RebuildRollups(statements, transaction), cancellationToken);

    public Task<FeedbackWriteResult> SetFeedbackAsync(string organizationId, RunFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return WriteAsync(
            (statements, transaction) =>
            {
                Run? run;
                using (var command = Command(
                           transaction,
                           $"SELECT {RunRows.RunColumns} FROM runs WHERE id = $id AND organization_id = $organization_id",
                           ("$id", feedback.RunId),
                           ("$organization_id", organizationId)))
                {
                    run = RunRows.ReadRuns(command).SingleOrDefault();
                }

                if (run is null)
                {
                    return new FeedbackWriteResult(FeedbackWriteOutcome.RunNotFound, null);
                }

                if (!run.IsTerminal)
                {
                    return new FeedbackWriteResult(FeedbackWriteOutcome.RunNotFinished, null);
                }

                double? previous = null;
                var createdAt = feedback.CreatedAt;
                using (var command = Command(
                           transaction,
                           "SELECT score, created_at FROM run_feedback WHERE run_id = $run_id AND key = $key",
                           ("$run_id", feedback.RunId),
                           ("$key", feedback.Key)))
                using (var reader = command.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        previous = reader.GetDouble(0);
                        createdAt = reader.GetTime(1);
                    }
                }

                using (var command = Command(
                           transaction,
                           """
                           INSERT INTO run_feedback (run_id, key, score, comment, created_at, updated_at)
                           VALUES ($run_id, $key, $score, $comment, $created_at, $updated_at)
                           ON CONFLICT (run_id, key) DO UPDATE
                           SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at
                           """,
                           ("$run_id", feedback.RunId),
                           ("$key", feedback.Key),
                           ("$score", feedback.Score),
                           ("$comment", feedback.Comment),
                           ("$created_at", SqliteValues.Time(createdAt)),
                           ("$updated_at", SqliteValues.Time(feedback.UpdatedAt))))
                {
                    command.ExecuteNonQuery();
                }

                new RollupWriter(statements, transaction).SetFeedback(RollupKey.Of(run), feedback.Key, feedback.Score, previous);
                var stored = feedback with { CreatedAt = SqliteValues.Truncate(createdAt), UpdatedAt = SqliteValues.Truncate(feedback.UpdatedAt) };
                return new FeedbackWriteResult(previous is null ? FeedbackWriteOutcome.Created : FeedbackWriteOutcome.Replaced, stored);
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<RunFeedback>?> ListFeedbackAsync(string organizationId, string runId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<RunFeedback>?>(
            (_, transaction) =>
            {
                using (var exists = Command(
                           transaction,
                           "SELECT 1 FROM runs WHERE id = $id AND organization_id = $organization_id",
                           ("$id", runId),
                           ("$organization_id", organizationId)))
                {
                    if (exists.ExecuteScalar() is null)
                    {
                        return null;
                    }
                }

                using var command = Command(
                    transaction,
                    "SELECT key, score, comment, created_at, updated_at FROM run_feedback WHERE run_id = $run_id ORDER BY key",
                    ("$run_id", runId));
                using var reader = command.ExecuteReader();
                var items = new List<RunFeedback>();
                while (reader.Read())
                {
                    items.Add(new RunFeedback(runId, reader.GetString(0), reader.GetDouble(1), reader.GetNullableString(2), reader.GetTime(3), reader.GetTime(4)));
                }

                return items;
            },
            cancellationToken);

    /// <summary>A file migrated from before analytics has finished runs but no rollups: build them once, at start.</summary>
    private Task<long> RebuildRollupsIfMissingAsync(CancellationToken cancellationToken) =>
        WriteAsync(
            (statements, transaction) =>
            {
                using var command = Command(
                    transaction,
                    "SELECT NOT EXISTS (SELECT 1 FROM analytics_rollups) AND EXISTS (SELECT 1 FROM runs WHERE status IN ('done', 'error'))");
                return (long)command.ExecuteScalar()! == 1 ? RebuildRollups(statements, transaction) : 0;
            },
            cancellationToken);

    private static long RebuildRollups(WriterStatements statements, SqliteTransaction transaction)
    {
        using (var clear = Command(transaction, "DELETE FROM analytics_rollups"))
        {
            clear.ExecuteNonQuery();
        }

        var cells = new Dictionary<RollupKey, RollupCell>();
        long runs = 0;
        using (var command = Command(transaction, $"SELECT {RunRows.RunColumns} FROM runs WHERE status IN ('done', 'error')"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var run = RunRows.ReadRun(reader);
                var toolCalls = new List<ToolCallOutcome>();
                using (var events = statements.SelectToolCalls.Query(transaction, run.Id))
                {
                    while (events.Read())
                    {
                        toolCalls.Add(ToolCallOutcome.FromEventData(events.GetJson(0)));
                    }
                }

                CellOf(cells, RollupKey.Of(run)).AddRun(run, toolCalls);
                runs++;
            }
        }

        using (var command = Command(
                   transaction,
                   """
                   SELECT r.organization_id, r.agent_id, r.revision_id, r.model, r.created_at, f.key, f.score
                   FROM run_feedback f JOIN runs r ON r.id = f.run_id
                   """))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = new RollupKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetNullableString(3) ?? string.Empty, RollupKey.SlotOf(reader.GetTime(4)));
                CellOf(cells, key).SetFeedback(reader.GetString(5), reader.GetDouble(6), previous: null);
            }
        }

        foreach (var (key, cell) in cells)
        {
            statements.UpsertRollup.Execute(
                transaction, key.OrganizationId, key.AgentId, SqliteValues.Time(key.Slot), key.RevisionId, key.Model, cell.Encode());
        }

        return runs;
    }

    private static RollupCell CellOf(Dictionary<RollupKey, RollupCell> cells, RollupKey key)
    {
        if (!cells.TryGetValue(key, out var cell))
        {
            cells[key] = cell = new RollupCell();
        }

        return cell;
    }
}
