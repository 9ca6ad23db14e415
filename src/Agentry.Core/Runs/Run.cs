using System.Text.Json;
using System.Text.Json.Serialization;
using Agentry.Core.Agents;

namespace Agentry.Core.Runs;

/// <summary>One logged, independent execution of an agent revision with an input.</summary>
public sealed record Run
{
    public required string Id { get; init; }

    public required string OrganizationId { get; init; }

    public required string AgentId { get; init; }

    public required string RevisionId { get; init; }

    public required RunStatus Status { get; init; }

    public string? StatusMessage { get; init; }

    public required JsonElement Input { get; init; }

    public RunError? Error { get; init; }

    public required ResultType ResultType { get; init; }

    /// <summary>Null until the run is done.</summary>
    public JsonElement? ResultData { get; init; }

    public IReadOnlyList<RunSource> Sources { get; init; } = [];

    public RunUsage Usage { get; init; } = RunUsage.Zero;

    /// <summary>The concrete model the run used, once it has called one.</summary>
    public string? Model { get; init; }

    /// <summary>How many times a worker has claimed the run.</summary>
    public int Attempt { get; init; }

    public JsonElement? Metadata { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>The W3C trace id of the run's last execution (its <c>invoke_agent</c> span), set when it ends; null without tracing.</summary>
    public string? TraceId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The node and worker holding the run while it is running (engine state, not part of the API).</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease lapses unless renewed; the watchdog takes over runs past it.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>A cancel was asked for while the run was running; its worker ends it.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The seq of the run's newest event (0 before the first).</summary>
    public int LastSeq { get; init; }

    /// <summary>The position of the run's newest event change (0 before the first).</summary>
    public long LastPosition { get; init; }

    /// <summary>
    /// The store-wide change order of the run row (engine state, not part of the API): every change a run list
    /// shows — creation, each status change including a claim, usage, a cancel request — stamps the next value.
    /// </summary>
    public long ChangeSeq { get; init; }

    /// <summary>True for <see cref="RunStatus.Done"/> and <see cref="RunStatus.Error"/>.</summary>
    [JsonIgnore]
    public bool IsTerminal => Status.IsTerminal();
}

/// <summary>Exactly the four statuses of the API; every way a run can fail is an <see cref="RunStatus.Error"/> with a code.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("pending")]
    Pending,

    [JsonStringEnumMemberName("running")]
    Running,

    [JsonStringEnumMemberName("done")]
    Done,

    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>Helpers on <see cref="RunStatus"/>.</summary>
public static class RunStatusExtensions
{
    /// <summary>True when the run will never change status again.</summary>
    public static bool IsTerminal(this RunStatus status) => status is RunStatus.Done or RunStatus.Error;

    /// <summary>The API's name of a status.</summary>
    public static string ToApiName(this RunStatus status) => status switch
    {
        RunStatus.Pending => "pending",
        RunStatus.Running => "running",
        RunStatus.Done => "done",
        RunStatus.Error => "error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Parses an API status name; false for anything else.</summary>
    public static bool TryParseApiName(string? value, out RunStatus status)
    {
        (var known, status) = value switch
        {
            "pending" => (true, RunStatus.Pending),
            "running" => (true, RunStatus.Running),
            "done" => (true, RunStatus.Done),
            "error" => (true, RunStatus.Error),
            _ => (false, RunStatus.Pending),
        };
        return known;
    }
}

/// <summary>Why a run ended in error, and the event where it went wrong.</summary>
public sealed record RunError(string Code, string Message, int? EventSeq);

/// <summary>The error codes of API.md.</summary>
public static class RunErrorCodes
{
    public const string Cancelled = "cancelled";
    public const string Timeout = "timeout";
    public const string BudgetExceeded = "budget_exceeded";
    public const string WorkerLost = "worker_lost";
    public const string ModelError = "model_error";
    public const string ModelUnavailable = "model_unavailable";
    public const string ToolError = "tool_error";
    public const string ToolUnavailable = "tool_unavailable";
    public const string InvalidResult = "invalid_result";
    public const string Internal = "internal";

    /// <summary>Every code, for validating filters.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Cancelled, Timeout, BudgetExceeded, WorkerLost, ModelError, ModelUnavailable, ToolError, ToolUnavailable, InvalidResult, Internal];
}

/// <summary>Tokens, cost and call counts of a run so far.</summary>
public sealed record RunUsage(long InputTokens, long OutputTokens, long TotalTokens, decimal CostUsd, int ModelCalls, int ToolCalls)
{
    public static RunUsage Zero { get; } = new(0, 0, 0, 0m, 0, 0);
}

/// <summary>A source the run consulted.</summary>
public sealed record RunSource(string Url, string? Title, string? Snippet = null);
