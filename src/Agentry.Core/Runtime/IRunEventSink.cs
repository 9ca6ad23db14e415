using System.Text.Json;
using Agentry.Core.Runs;

namespace Agentry.Core.Runtime;

/// <summary>
/// Where a runtime reports the steps of its run. Calls return at once: the engine's writer persists them in
/// order, batched with other runs' events, and wakes live streams after each commit.
/// </summary>
public interface IRunEventSink
{
    /// <summary>
    /// Appends an event and answers its seq. With <paramref name="inProgress"/> the event spans time
    /// (<c>finishedAt</c> null) until <see cref="Complete"/>; otherwise it starts and finishes now.
    /// </summary>
    int Append(string type, JsonElement data, bool inProgress = false);

    /// <summary>Completes an in-progress event in place with its final <paramref name="data"/> (same seq, next position).</summary>
    void Complete(int seq, JsonElement data);

    /// <summary>Records the run's usage so far (cumulative) and the model used, so watchers see it grow.</summary>
    void ReportUsage(RunUsage usage, string? model);

    /// <summary>The usage last reported (kept when a run fails or is cancelled).</summary>
    RunUsage Usage { get; }

    /// <summary>The model last reported.</summary>
    string? Model { get; }

    /// <summary>The seq of the newest event of the run.</summary>
    int LastSeq { get; }
}
