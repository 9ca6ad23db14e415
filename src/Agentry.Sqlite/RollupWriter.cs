using Agentry.Core.Analytics;
using Agentry.Core.Runs;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

/// <summary>Adds finished runs and feedback to their rollup cells inside the writer's transaction (read, merge, write back).</summary>
internal sealed class RollupWriter(WriterStatements statements, SqliteTransaction transaction)
{
    /// <summary>Counts a run that just ended, with the tool calls of its event log.</summary>
    public void AddRun(Run run)
    {
        var toolCalls = new List<ToolCallOutcome>();
        using (var reader = statements.SelectToolCalls.Query(transaction, run.Id))
        {
            while (reader.Read())
            {
                toolCalls.Add(ToolCallOutcome.FromEventData(reader.GetJson(0)));
            }
        }

        var key = RollupKey.Of(run);
        var cell = Read(key) ?? new RollupCell();
        cell.AddRun(run, toolCalls);
        Write(key, cell);
    }

    /// <summary>Records a feedback score in the cell of its run; <paramref name="previous"/> is the score it replaces.</summary>
    public void SetFeedback(RollupKey key, string feedbackKey, double score, double? previous)
    {
        var cell = Read(key) ?? new RollupCell();
        cell.SetFeedback(feedbackKey, score, previous);
        Write(key, cell);
    }

    private RollupCell? Read(RollupKey key)
    {
        using var reader = statements.SelectRollup.Query(
            transaction, key.OrganizationId, key.AgentId, SqliteValues.Time(key.Slot), key.RevisionId, key.Model);
        return reader.Read() ? RollupCell.Decode((byte[])reader.GetValue(0)) : null;
    }

    private void Write(RollupKey key, RollupCell cell) =>
        statements.UpsertRollup.Execute(
            transaction, key.OrganizationId, key.AgentId, SqliteValues.Time(key.Slot), key.RevisionId, key.Model, cell.Encode());
}
