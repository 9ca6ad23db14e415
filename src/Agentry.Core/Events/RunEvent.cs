using System.Text.Json;

namespace Agentry.Core.Events;

/// <summary>
/// One step of a run's log. <see cref="Seq"/> numbers a run's events in creation order (1, 2, 3, … no gap);
/// <see cref="Position"/> is the run's counter of event changes: a creation or an in-place completion
/// takes the next position, so a stream resumes with "position &gt; after".
/// </summary>
public sealed record RunEvent(
    string RunId,
    int Seq,
    long Position,
    string Type,
    JsonElement Data,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>The event types of API.md; clients ignore types they do not know.</summary>
public static class RunEventTypes
{
    public const string Status = "status";
    public const string Planning = "planning";
    public const string Reasoning = "reasoning";
    public const string Narration = "narration";
    public const string ToolCall = "tool_call";
    public const string ModelCall = "model_call";
    public const string ContextCompression = "context_compression";
    public const string Source = "source";
    public const string Result = "result";
    public const string Error = "error";
}
