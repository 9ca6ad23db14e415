using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Storage;

namespace Agentry.Core.Execution;

/// <summary>
/// The event sink of one executing run. It hands out seqs itself — only the worker holding the lease appends
/// to a running run — and posts every write, fenced by the lease owner, to the <see cref="EventWriter"/>.
/// </summary>
internal sealed class RunEventSink(EventWriter writer, string runId, string leaseOwner, int lastSeq, TimeProvider time) : IRunEventSink
{
    private readonly ConcurrentDictionary<int, (JsonElement Data, DateTimeOffset StartedAt)> _open = new();
    private int _lastSeq = lastSeq;
    private RunUsage _usage = RunUsage.Zero;
    private string? _model;

    public RunUsage Usage => Volatile.Read(ref _usage);

    public string? Model => Volatile.Read(ref _model);

    public int LastSeq => Volatile.Read(ref _lastSeq);

    public int Append(string type, JsonElement data, bool inProgress = false)
    {
        var seq = NextSeq();
        var now = time.GetUtcNow();
        if (inProgress)
        {
            _open[seq] = (data, now);
        }

        writer.Post(new AppendEventWrite(runId, leaseOwner, new RunEventDraft(seq, type, data, now, inProgress ? null : now)));
        return seq;
    }

    public void Complete(int seq, JsonElement data)
    {
        _open.TryRemove(seq, out _);
        writer.Post(new UpdateEventWrite(runId, leaseOwner, seq, data, time.GetUtcNow()));
    }

    public void ReportUsage(RunUsage usage, string? model)
    {
        ArgumentNullException.ThrowIfNull(usage);
        Volatile.Write(ref _usage, usage);
        if (model is not null)
        {
            Volatile.Write(ref _model, model);
        }

        writer.Post(new UsageWrite(runId, leaseOwner, usage, model, time.GetUtcNow()));
    }

    /// <summary>Takes the next seq, for the status event that ends the run.</summary>
    public int NextSeq() => Interlocked.Increment(ref _lastSeq);

    /// <summary>Completes every event still in progress with <paramref name="error"/>, so no step of an ended run is left open.</summary>
    public void CloseOpenEvents(string error)
    {
        foreach (var (seq, open) in _open.OrderBy(static e => e.Key))
        {
            var data = JsonNode.Parse(open.Data.GetRawText()) is JsonObject obj ? obj : [];
            data["error"] = error;
            Complete(seq, JsonSerializer.SerializeToElement(data));
        }
    }
}
