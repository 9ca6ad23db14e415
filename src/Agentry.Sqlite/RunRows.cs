using Agentry.Core.Events;
using Agentry.Core.Runs;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

/// <summary>The column lists of runs and events and how a row becomes a domain record; one place for both.</summary>
internal static class RunRows
{
    /// <summary>Every column of <c>runs</c>, in the order <see cref="ReadRun"/> reads them.</summary>
    public const string RunColumns =
        "id, organization_id, agent_id, revision_id, status, status_message, input, error_code, error_message, " +
        "error_event_seq, result_type, result_data, sources, input_tokens, output_tokens, total_tokens, cost_usd, " +
        "model_calls, tool_calls, model, attempt, metadata, idempotency_key, created_at, started_at, completed_at, " +
        "updated_at, lease_owner, lease_expires_at, cancel_requested, last_seq, last_position, change_seq, trace_id";

    /// <summary>Every column of <c>run_events</c>, in the order <see cref="ReadEvent"/> reads them.</summary>
    public const string EventColumns = "run_id, seq, position, type, data, started_at, finished_at";

    public static Run ReadRun(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        OrganizationId = reader.GetString(1),
        AgentId = reader.GetString(2),
        RevisionId = reader.GetString(3),
        Status = SqliteValues.ParseStatus(reader.GetString(4)),
        StatusMessage = reader.GetNullableString(5),
        Input = reader.GetJson(6),
        Error = reader.IsDBNull(7)
            ? null
            : new RunError(reader.GetString(7), reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetInt32(9)),
        ResultType = SqliteValues.ParseResultType(reader.GetString(10)),
        ResultData = reader.GetNullableJson(11),
        Sources = reader.GetJson<List<RunSource>>(12),
        Usage = new RunUsage(
            reader.GetInt64(13),
            reader.GetInt64(14),
            reader.GetInt64(15),
            decimal.Parse(reader.GetString(16), System.Globalization.CultureInfo.InvariantCulture),
            reader.GetInt32(17),
            reader.GetInt32(18)),
        Model = reader.GetNullableString(19),
        Attempt = reader.GetInt32(20),
        Metadata = reader.GetNullableJson(21),
        IdempotencyKey = reader.GetNullableString(22),
        CreatedAt = reader.GetTime(23),
        StartedAt = reader.GetNullableTime(24),
        CompletedAt = reader.GetNullableTime(25),
        UpdatedAt = reader.GetTime(26),
        LeaseOwner = reader.GetNullableString(27),
        LeaseExpiresAt = reader.GetNullableTime(28),
        CancelRequested = reader.GetBoolean(29),
        LastSeq = reader.GetInt32(30),
        LastPosition = reader.GetInt64(31),
        ChangeSeq = reader.GetInt64(32),
        TraceId = reader.GetNullableString(33),
    };

    public static RunEvent ReadEvent(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetInt32(1),
        reader.GetInt64(2),
        reader.GetString(3),
        reader.GetJson(4),
        reader.GetTime(5),
        reader.GetNullableTime(6));

    public static List<Run> ReadRuns(SqliteCommand command)
    {
        var runs = new List<Run>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    }

    public static List<RunEvent> ReadEvents(SqliteCommand command)
    {
        var events = new List<RunEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }
}
