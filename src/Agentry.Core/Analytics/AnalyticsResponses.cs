using System.Text.Json.Serialization;

namespace Agentry.Core.Analytics;

/// <summary>
/// The figures of a set of runs (API.md, Analytics). Runs count by creation time. Everything but
/// <see cref="Runs"/> and the pending/running counts of <see cref="ByStatus"/> covers finished runs only: their
/// durations, queue waits, tokens, cost, tool calls and feedback.
/// </summary>
/// <remarks>Not sealed: a series bucket is the same figures with its start and end.</remarks>
public record AnalyticsFigures
{
    /// <summary>Every run created in the range, whatever its status.</summary>
    public required long Runs { get; init; }

    public required RunsByStatus ByStatus { get; init; }

    /// <summary>Errored runs by error code.</summary>
    public required IReadOnlyDictionary<string, long> ErrorCodes { get; init; }

    /// <summary>done / (done + error); null when no run has finished.</summary>
    public required double? SuccessRate { get; init; }

    /// <summary>Run durations (<c>completedAt − startedAt</c>) of finished runs that started.</summary>
    public required LatencyFigures DurationMs { get; init; }

    /// <summary>Queue waits (<c>startedAt − createdAt</c>) of finished runs that started.</summary>
    public required LatencyFigures QueueWaitMs { get; init; }

    public required TokenFigures Tokens { get; init; }

    public required decimal CostUsd { get; init; }

    /// <summary><see cref="CostUsd"/> per finished run; null when none finished.</summary>
    public required decimal? CostPerRunUsd { get; init; }

    /// <summary>Tool calls by tool.</summary>
    public required IReadOnlyDictionary<string, ToolFigures> ToolCalls { get; init; }

    /// <summary>Feedback by key: how many runs were scored and their mean score.</summary>
    public required IReadOnlyDictionary<string, FeedbackFigures> Feedback { get; init; }
}

/// <summary>One bucket of a series: the figures of the runs created in [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record AnalyticsSeriesBucket : AnalyticsFigures
{
    [JsonPropertyOrder(-2)]
    public required DateTimeOffset Start { get; init; }

    [JsonPropertyOrder(-1)]
    public required DateTimeOffset End { get; init; }
}

/// <summary>Runs by status.</summary>
public sealed record RunsByStatus(long Pending, long Running, long Done, long Error);

/// <summary>
/// Nearest-rank percentiles in milliseconds (null when <see cref="Count"/> is 0), each within a relative error of
/// <see cref="ErrorBound"/> of the exact value.
/// </summary>
public sealed record LatencyFigures(long Count, double? P50, double? P95, double? P99, double ErrorBound);

/// <summary>Tokens of finished runs.</summary>
public sealed record TokenFigures(long Input, long Output);

/// <summary>Calls of one tool, how many failed, and the share that failed.</summary>
public sealed record ToolFigures(long Calls, long Errors, double ErrorRate);

/// <summary>How many runs have a score for a key, and the mean of those scores.</summary>
public sealed record FeedbackFigures(long Count, double Mean);

/// <summary>
/// <c>GET /v1/analytics/…</c>: the range actually covered (<see cref="From"/> and <see cref="To"/> widened to whole
/// buckets), the bucket and time zone, the figures of the whole range and the series of buckets.
/// </summary>
public sealed record AnalyticsReport(
    DateTimeOffset From,
    DateTimeOffset To,
    string Bucket,
    string TimeZone,
    AnalyticsFigures Total,
    IReadOnlyList<AnalyticsSeriesBucket> Series);

/// <summary><c>GET /v1/analytics/agents/{agentId}/revisions</c>: each revision's figures side by side, newest revision first.</summary>
public sealed record RevisionComparison(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<RevisionFigures> Items);

/// <summary>One revision of a comparison.</summary>
public sealed record RevisionFigures(string RevisionId, DateTimeOffset CreatedAt, bool IsPublished, AnalyticsFigures Total);
