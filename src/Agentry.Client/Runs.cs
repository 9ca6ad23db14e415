using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Client;

/// <summary>A run of an agent (API.md, Runs).</summary>
public sealed record Run
{
    /// <summary>The run's id (<c>run_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>The agent's id.</summary>
    public string AgentId { get; init; } = "";

    /// <summary>The revision the run uses.</summary>
    public string RevisionId { get; init; } = "";

    /// <summary><c>pending → running → done | error</c>.</summary>
    public RunStatus Status { get; init; }

    /// <summary>A short human note on the status; null when none.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>The run's input.</summary>
    public JsonElement Input { get; init; }

    /// <summary>Why the run ended in <see cref="RunStatus.Error"/>; null otherwise.</summary>
    public RunError? Error { get; init; }

    /// <summary>The shape of the result.</summary>
    public AgentResultType ResultType { get; init; }

    /// <summary>
    /// The result once <see cref="RunStatus.Done"/>, else null: for documents <c>{"result": "&lt;markdown&gt;", "sources": […]}</c>,
    /// for JSON results the object itself.
    /// </summary>
    public JsonElement? ResultData { get; init; }

    /// <summary>The sources the run consulted.</summary>
    public IReadOnlyList<RunSource> Sources { get; init; } = [];

    /// <summary>Tokens, cost and calls so far.</summary>
    public RunUsage Usage { get; init; } = new();

    /// <summary>The resolved model; null until known.</summary>
    public string? Model { get; init; }

    /// <summary>The attempt (1, more after a lost worker's run is resumed).</summary>
    public int Attempt { get; init; }

    /// <summary>Metadata stored with the run; null when none.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>When the run was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a worker started it; null while pending.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it ended; null until then.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The W3C trace id of the run's OpenTelemetry trace, to find it in a tracing backend; null when none.</summary>
    public string? TraceId { get; init; }

    /// <summary>Whether the run has ended (<see cref="RunStatus.Done"/> or <see cref="RunStatus.Error"/>).</summary>
    [JsonIgnore]
    public bool IsTerminal => Status is RunStatus.Done or RunStatus.Error;

    /// <summary>The Markdown report of a finished document run (<c>resultData.result</c>); null otherwise.</summary>
    [JsonIgnore]
    public string? Document =>
        ResultType == AgentResultType.Document
        && ResultData is { ValueKind: JsonValueKind.Object } data
        && data.TryGetProperty("result", out var result)
        && result.ValueKind == JsonValueKind.String
            ? result.GetString()
            : null;
}

/// <summary>A run's status; exactly these four (cancellation and timeouts end in <see cref="Error"/> with a code).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Created, waiting for a worker.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>A worker is executing it.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>Finished with a result.</summary>
    [JsonStringEnumMemberName("done")]
    Done,

    /// <summary>Ended without a result; <see cref="Run.Error"/> says why.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>Why a run ended in error.</summary>
public sealed record RunError
{
    /// <summary>
    /// <c>cancelled</c>, <c>timeout</c>, <c>budget_exceeded</c>, <c>worker_lost</c>, <c>model_error</c>,
    /// <c>model_unavailable</c>, <c>tool_error</c>, <c>tool_unavailable</c>, <c>invalid_result</c> or <c>internal</c>.
    /// </summary>
    public string Code { get; init; } = "";

    /// <summary>What went wrong.</summary>
    public string Message { get; init; } = "";

    /// <summary>The seq of the event where it went wrong; null when none.</summary>
    public int? EventSeq { get; init; }
}

/// <summary>A source a run consulted.</summary>
public sealed record RunSource
{
    /// <summary>Its address.</summary>
    public string Url { get; init; } = "";

    /// <summary>Its title; null when unknown.</summary>
    public string? Title { get; init; }

    /// <summary>A short excerpt; null when none.</summary>
    public string? Snippet { get; init; }
}

/// <summary>A run's usage so far.</summary>
public sealed record RunUsage
{
    /// <summary>Tokens sent to the model.</summary>
    public long InputTokens { get; init; }

    /// <summary>Tokens the model produced.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens { get; init; }

    /// <summary>The cost in US dollars (0 on models without prices).</summary>
    public decimal CostUsd { get; init; }

    /// <summary>How many model calls were made.</summary>
    public int ModelCalls { get; init; }

    /// <summary>How many tool calls were made.</summary>
    public int ToolCalls { get; init; }
}

/// <summary>How to start a run (<see cref="AgentryClient.StartRunAsync"/>).</summary>
public sealed record StartRunOptions
{
    /// <summary>The revision to run; null runs the published revision, else the latest.</summary>
    public string? RevisionId { get; init; }

    /// <summary>
    /// Sent as <c>Idempotency-Key</c>: the same key and input within 24 h answer the same run instead of a new one; the
    /// same key with another input is refused with <c>conflict</c>. Null sends none.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>How long the server holds the answer for the run to end (whole seconds, at most 60); null answers at once.</summary>
    public TimeSpan? Wait { get; init; }
}

/// <summary>The filters and paging of <see cref="AgentryClient.ListRunsAsync"/>; every null filter is left out.</summary>
public sealed record RunListQuery
{
    /// <summary>Only runs of this agent.</summary>
    public string? AgentId { get; init; }

    /// <summary>Only runs of this revision.</summary>
    public string? RevisionId { get; init; }

    /// <summary>Only runs in this status.</summary>
    public RunStatus? Status { get; init; }

    /// <summary>Only runs that ended with this error code, such as <c>timeout</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>Only runs created at or after this time.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Only runs created before this time.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>The <see cref="AgentryPage{T}.NextCursor"/> of the previous page, to continue it; not together with <see cref="Offset"/>.</summary>
    public string? Cursor { get; init; }

    /// <summary>The page size, 1–100 (server default 20).</summary>
    public int? Limit { get; init; }

    /// <summary>How many runs to skip.</summary>
    public int? Offset { get; init; }
}

/// <summary>One page of a list (API.md, Lists).</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record AgentryPage<T>
{
    /// <summary>The items of this page.</summary>
    public IReadOnlyList<T> Items { get; init; } = [];

    /// <summary>How many items the whole list holds.</summary>
    public long Total { get; init; }

    /// <summary>The page size used.</summary>
    public int Limit { get; init; }

    /// <summary>The offset used.</summary>
    public int Offset { get; init; }

    /// <summary>Continues the list with <see cref="RunListQuery.Cursor"/>; only run lists carry one, null on the last page.</summary>
    public string? NextCursor { get; init; }
}

/// <summary>One event of a run (API.md, Events). A change of an event keeps its <see cref="Seq"/> and takes a new <see cref="Position"/>.</summary>
public sealed record RunEvent
{
    /// <summary><c>&lt;runId&gt;:&lt;seq&gt;</c>.</summary>
    public string Id { get; init; } = "";

    /// <summary>The run's id.</summary>
    public string RunId { get; init; } = "";

    /// <summary>The event's number in creation order: 1, 2, 3, … without gaps.</summary>
    public int Seq { get; init; }

    /// <summary>The position of this creation or change among all of the run's changes; streams resume after it.</summary>
    public long Position { get; init; }

    /// <summary>
    /// <c>status</c>, <c>planning</c>, <c>reasoning</c>, <c>narration</c>, <c>tool_call</c>, <c>model_call</c>,
    /// <c>context_compression</c>, <c>source</c>, <c>result</c> or <c>error</c>; new types may be added.
    /// </summary>
    public string Type { get; init; } = "";

    /// <summary>The event's data; its shape depends on <see cref="Type"/>.</summary>
    public JsonElement Data { get; init; }

    /// <summary>When the step started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the step finished; null while it is in progress.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Equals <see cref="StartedAt"/> (for v0.1 clients).</summary>
    public DateTimeOffset Timestamp { get; init; }
}
