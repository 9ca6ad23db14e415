using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

/// <summary>The statements of the hot write paths (the event writer's batches, claims, lease renewals), compiled once per writer connection.</summary>
internal sealed class WriterStatements : IDisposable
{
    public WriterStatements(SqliteConnection writer)
    {
        SelectCursor = new Statement(
            writer,
            "SELECT status, lease_owner, lease_expires_at, last_seq, last_position FROM runs WHERE id = $id",
            "$id");
        SelectRun = new Statement(writer, $"SELECT {RunRows.RunColumns} FROM runs WHERE id = $id", "$id");
        DataVersion = new Statement(writer, "PRAGMA data_version");
        MaxChangeSeq = new Statement(writer, "SELECT COALESCE(MAX(change_seq), 0) FROM runs");
        InsertRun = new Statement(
            writer,
            $"""
            INSERT INTO runs ({RunRows.RunColumns})
            VALUES ($id, $organization_id, $agent_id, $revision_id, $status, $status_message, $input, $error_code,
                    $error_message, $error_event_seq, $result_type, $result_data, $sources, $input_tokens, $output_tokens,
                    $total_tokens, $cost_usd, $model_calls, $tool_calls, $model, $attempt, $metadata, $idempotency_key,
                    $created_at, $started_at, $completed_at, $updated_at, NULL, NULL, 0, 1, 1, $change_seq, NULL)
            """,
            "$id", "$organization_id", "$agent_id", "$revision_id", "$status", "$status_message", "$input", "$error_code",
            "$error_message", "$error_event_seq", "$result_type", "$result_data", "$sources", "$input_tokens", "$output_tokens",
            "$total_tokens", "$cost_usd", "$model_calls", "$tool_calls", "$model", "$attempt", "$metadata", "$idempotency_key",
            "$created_at", "$started_at", "$completed_at", "$updated_at", "$change_seq");
        InsertEvent = new Statement(
            writer,
            $"INSERT INTO run_events ({RunRows.EventColumns}) VALUES ($run_id, $seq, $position, $type, $data, $started_at, $finished_at)",
            "$run_id", "$seq", "$position", "$type", "$data", "$started_at", "$finished_at");
        UpdateEvent = new Statement(
            writer,
            """
            UPDATE run_events SET data = $data, finished_at = $finished_at, position = $position
            WHERE run_id = $run_id AND seq = $seq
            RETURNING type, started_at
            """,
            "$run_id", "$seq", "$position", "$data", "$finished_at");
        UpdateCounters = new Statement(
            writer,
            "UPDATE runs SET last_seq = $last_seq, last_position = $last_position WHERE id = $id",
            "$id", "$last_seq", "$last_position");
        Transition = new Statement(
            writer,
            """
            UPDATE runs SET
                status = $status,
                updated_at = $updated_at,
                status_message = COALESCE($status_message, status_message),
                error_code = CASE WHEN $set_error THEN $error_code ELSE error_code END,
                error_message = CASE WHEN $set_error THEN $error_message ELSE error_message END,
                error_event_seq = CASE WHEN $set_error THEN $error_event_seq ELSE error_event_seq END,
                result_data = COALESCE($result_data, result_data),
                sources = COALESCE($sources, sources),
                input_tokens = CASE WHEN $set_usage THEN $input_tokens ELSE input_tokens END,
                output_tokens = CASE WHEN $set_usage THEN $output_tokens ELSE output_tokens END,
                total_tokens = CASE WHEN $set_usage THEN $total_tokens ELSE total_tokens END,
                cost_usd = CASE WHEN $set_usage THEN $cost_usd ELSE cost_usd END,
                model_calls = CASE WHEN $set_usage THEN $model_calls ELSE model_calls END,
                tool_calls = CASE WHEN $set_usage THEN $tool_calls ELSE tool_calls END,
                model = COALESCE($model, model),
                started_at = COALESCE($started_at, started_at),
                completed_at = COALESCE($completed_at, completed_at),
                lease_owner = CASE WHEN $release THEN NULL ELSE lease_owner END,
                lease_expires_at = CASE WHEN $release THEN NULL ELSE lease_expires_at END,
                cancel_requested = CASE WHEN $release THEN 0 ELSE cancel_requested END,
                last_seq = $last_seq,
                last_position = $last_position,
                change_seq = $change_seq,
                trace_id = COALESCE($trace_id, trace_id)
            WHERE id = $id
            """,
            "$id", "$status", "$updated_at", "$status_message", "$set_error", "$error_code", "$error_message", "$error_event_seq",
            "$result_data", "$sources", "$set_usage", "$input_tokens", "$output_tokens", "$total_tokens", "$cost_usd",
            "$model_calls", "$tool_calls", "$model", "$started_at", "$completed_at", "$release", "$last_seq", "$last_position", "$change_seq",
            "$trace_id");
        UpdateUsage = new Statement(
            writer,
            """
            UPDATE runs SET input_tokens = $input_tokens, output_tokens = $output_tokens, total_tokens = $total_tokens,
                cost_usd = $cost_usd, model_calls = $model_calls, tool_calls = $tool_calls,
                model = COALESCE($model, model), updated_at = $updated_at, change_seq = $change_seq
            WHERE id = $id
            """,
            "$id", "$input_tokens", "$output_tokens", "$total_tokens", "$cost_usd", "$model_calls", "$tool_calls", "$model", "$updated_at",
            "$change_seq");
        SelectIdempotencyKey = new Statement(
            writer,
            "SELECT run_id, input_hash, expires_at FROM idempotency_keys WHERE organization_id = $organization_id AND key = $key",
            "$organization_id", "$key");
        UpsertIdempotencyKey = new Statement(
            writer,
            """
            INSERT INTO idempotency_keys (organization_id, key, run_id, input_hash, expires_at)
            VALUES ($organization_id, $key, $run_id, $input_hash, $expires_at)
            ON CONFLICT (organization_id, key) DO UPDATE
            SET run_id = excluded.run_id, input_hash = excluded.input_hash, expires_at = excluded.expires_at
            """,
            "$organization_id", "$key", "$run_id", "$input_hash", "$expires_at");
        // INDEXED BY pins the claim to the small partial index of pending runs, whatever the planner guesses.
        SelectPending = new Statement(writer, "SELECT id FROM runs INDEXED BY ix_runs_pending WHERE status = 'pending' ORDER BY id LIMIT $limit", "$limit");
        ClaimRun = new Statement(
            writer,
            """
            UPDATE runs SET status = 'running', status_message = NULL, lease_owner = $lease_owner,
                lease_expires_at = $lease_expires_at, attempt = attempt + 1, started_at = COALESCE(started_at, $now),
                updated_at = $now, cancel_requested = 0, last_seq = last_seq + 1, last_position = last_position + 1,
                change_seq = $change_seq
            WHERE id = $id AND status = 'pending'
            RETURNING last_seq, last_position
            """,
            "$id", "$lease_owner", "$lease_expires_at", "$now", "$change_seq");
        RenewLease = new Statement(
            writer,
            """
            UPDATE runs SET lease_expires_at = $lease_expires_at
            WHERE id = $id AND status = 'running' AND lease_owner = $lease_owner
            RETURNING cancel_requested
            """,
            "$id", "$lease_owner", "$lease_expires_at");
        SelectToolCalls = new Statement(writer, "SELECT data FROM run_events WHERE run_id = $run_id AND type = 'tool_call'", "$run_id");
        SelectRollup = new Statement(
            writer,
            """
            SELECT cell FROM analytics_rollups
            WHERE organization_id = $organization_id AND agent_id = $agent_id AND slot = $slot AND revision_id = $revision_id AND model = $model
            """,
            "$organization_id", "$agent_id", "$slot", "$revision_id", "$model");
        UpsertRollup = new Statement(
            writer,
            """
            INSERT INTO analytics_rollups (organization_id, agent_id, slot, revision_id, model, cell)
            VALUES ($organization_id, $agent_id, $slot, $revision_id, $model, $cell)
            ON CONFLICT (organization_id, agent_id, slot, revision_id, model) DO UPDATE SET cell = excluded.cell
            """,
            "$organization_id", "$agent_id", "$slot", "$revision_id", "$model", "$cell");
    }

    public Statement SelectCursor { get; }

    /// <summary>Changes only when another connection committed to the file (see <see cref="ChangeSequence"/>).</summary>
    public Statement DataVersion { get; }

    public Statement MaxChangeSeq { get; }

    public Statement SelectRun { get; }

    public Statement InsertRun { get; }

    public Statement InsertEvent { get; }

    public Statement UpdateEvent { get; }

    public Statement UpdateCounters { get; }

    public Statement Transition { get; }

    public Statement UpdateUsage { get; }

    public Statement SelectIdempotencyKey { get; }

    public Statement UpsertIdempotencyKey { get; }

    public Statement SelectPending { get; }

    public Statement ClaimRun { get; }

    public Statement RenewLease { get; }

    /// <summary>A run's <c>tool_call</c> events, for its rollup when it ends.</summary>
    public Statement SelectToolCalls { get; }

    public Statement SelectRollup { get; }

    public Statement UpsertRollup { get; }

    public void Dispose()
    {
        foreach (var statement in new[]
                 {
                     SelectCursor, SelectRun, InsertRun, InsertEvent, UpdateEvent, UpdateCounters, Transition, UpdateUsage,
                     SelectIdempotencyKey, UpsertIdempotencyKey, SelectPending, ClaimRun, RenewLease, DataVersion, MaxChangeSeq,
                     SelectToolCalls, SelectRollup, UpsertRollup,
                 })
        {
            statement.Dispose();
        }
    }
}
