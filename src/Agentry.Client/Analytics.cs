namespace Agentry.Client;

/// <summary>
/// The figures of a set of runs (API.md, Analytics). Runs count by creation time; everything but <see cref="Runs"/>
/// and the pending and running counts covers finished runs only.
/// </summary>
public record AnalyticsFigures
{
    /// <summary>Every run created in the range, whatever its status.</summary>
    public long Runs { get; init; }

    /// <summary>Runs by status.</summary>
    public RunsByStatus ByStatus { get; init; } = new();

    /// <summary>Errored runs by error code.</summary>
    public IReadOnlyDictionary<string, long> ErrorCodes { get; init; } = new Dictionary<string, long>();

    /// <summary>done / (done + error); null when no run has finished.</summary>
    public double? SuccessRate { get; init; }

    /// <summary>Durations (<c>completedAt − startedAt</c>) of finished runs, in milliseconds.</summary>
    public LatencyFigures DurationMs { get; init; } = new();

    /// <summary>Queue waits (<c>startedAt − createdAt</c>) of finished runs, in milliseconds.</summary>
    public LatencyFigures QueueWaitMs { get; init; } = new();

    /// <summary>Tokens of finished runs.</summary>
    public TokenFigures Tokens { get; init; } = new();

    /// <summary>The cost of finished runs in US dollars.</summary>
    public decimal CostUsd { get; init; }

    /// <summary><see cref="CostUsd"/> per finished run; null when none finished.</summary>
    public decimal? CostPerRunUsd { get; init; }

    /// <summary>Tool calls by tool name.</summary>
    public IReadOnlyDictionary<string, ToolFigures> ToolCalls { get; init; } = new Dictionary<string, ToolFigures>();

    /// <summary>Feedback by key.</summary>
    public IReadOnlyDictionary<string, FeedbackFigures> Feedback { get; init; } = new Dictionary<string, FeedbackFigures>();
}

/// <summary>One bucket of a series: the figures of the runs created in [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record AnalyticsSeriesBucket : AnalyticsFigures
{
    /// <summary>The bucket's start.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>The bucket's end.</summary>
    public DateTimeOffset End { get; init; }
}

/// <summary>Runs by status.</summary>
public sealed record RunsByStatus
{
    /// <summary>Waiting for a worker.</summary>
    public long Pending { get; init; }

    /// <summary>Being executed.</summary>
    public long Running { get; init; }

    /// <summary>Finished with a result.</summary>
    public long Done { get; init; }

    /// <summary>Ended in error.</summary>
    public long Error { get; init; }
}

/// <summary>Percentiles in milliseconds (null when <see cref="Count"/> is 0), each within <see cref="ErrorBound"/> (relative) of the exact value.</summary>
public sealed record LatencyFigures
{
    /// <summary>How many values.</summary>
    public long Count { get; init; }

    /// <summary>The median.</summary>
    public double? P50 { get; init; }

    /// <summary>The 95th percentile.</summary>
    public double? P95 { get; init; }

    /// <summary>The 99th percentile.</summary>
    public double? P99 { get; init; }

    /// <summary>The relative error bound of the percentiles.</summary>
    public double ErrorBound { get; init; }
}

/// <summary>Tokens of finished runs.</summary>
public sealed record TokenFigures
{
    /// <summary>Tokens sent to models.</summary>
    public long Input { get; init; }

    /// <summary>Tokens models produced.</summary>
    public long Output { get; init; }
}

/// <summary>Calls of one tool.</summary>
public sealed record ToolFigures
{
    /// <summary>How many calls.</summary>
    public long Calls { get; init; }

    /// <summary>How many failed.</summary>
    public long Errors { get; init; }

    /// <summary>The share that failed, 0–1.</summary>
    public double ErrorRate { get; init; }
}

/// <summary>The feedback of one key.</summary>
public sealed record FeedbackFigures
{
    /// <summary>How many runs have a score for the key.</summary>
    public long Count { get; init; }

    /// <summary>The mean of those scores, 0–1.</summary>
    public double Mean { get; init; }
}

/// <summary>An analytics answer: the range covered (widened to whole buckets), the figures of the whole range and per bucket.</summary>
public sealed record AnalyticsReport
{
    /// <summary>The start of the range covered.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>The end of the range covered.</summary>
    public DateTimeOffset To { get; init; }

    /// <summary><c>hour</c> or <c>day</c>.</summary>
    public string Bucket { get; init; } = "";

    /// <summary>The IANA time zone the buckets follow.</summary>
    public string TimeZone { get; init; } = "";

    /// <summary>The figures of the whole range.</summary>
    public AnalyticsFigures Total { get; init; } = new();

    /// <summary>The figures per bucket, oldest first.</summary>
    public IReadOnlyList<AnalyticsSeriesBucket> Series { get; init; } = [];
}

/// <summary>Each revision of an agent with its figures, newest revision first.</summary>
public sealed record RevisionComparison
{
    /// <summary>The start of the range covered.</summary>
    public DateTimeOffset From { get; init; }

    /// <summary>The end of the range covered.</summary>
    public DateTimeOffset To { get; init; }

    /// <summary>The revisions.</summary>
    public IReadOnlyList<RevisionFigures> Items { get; init; } = [];
}

/// <summary>One revision of a comparison.</summary>
public sealed record RevisionFigures
{
    /// <summary>The revision's id.</summary>
    public string RevisionId { get; init; } = "";

    /// <summary>When the revision was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether it is the published revision.</summary>
    public bool IsPublished { get; init; }

    /// <summary>Its figures over the range.</summary>
    public AnalyticsFigures Total { get; init; } = new();
}

/// <summary>
/// The range and filters of an analytics request; every null is the server's default (the last 7 days, daily buckets, UTC).
/// </summary>
public sealed record AnalyticsQuery
{
    /// <summary>The start of the range; 7 days before <see cref="To"/> when null.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The end of the range; now when null.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary><c>hour</c> or <c>day</c>.</summary>
    public string? Bucket { get; init; }

    /// <summary>An IANA time zone, such as <c>Europe/Berlin</c>, that buckets follow.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Only runs of this revision (agent figures only).</summary>
    public string? RevisionId { get; init; }

    /// <summary>Only runs on this resolved model (agent figures only).</summary>
    public string? Model { get; init; }
}

/// <summary>A score of a finished run under a key (API.md, Runs: feedback).</summary>
public sealed record RunFeedback
{
    /// <summary>The run's id.</summary>
    public string RunId { get; init; } = "";

    /// <summary>What is scored, such as <c>accuracy</c>.</summary>
    public string Key { get; init; } = "";

    /// <summary>The score, 0–1.</summary>
    public double Score { get; init; }

    /// <summary>A comment; null when none.</summary>
    public string? Comment { get; init; }

    /// <summary>When the key was first scored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the score last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
