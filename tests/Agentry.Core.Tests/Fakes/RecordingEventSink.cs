using System.Text.Json;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;

namespace Agentry.Core.Tests.Fakes;

/// <summary>An in-memory <see cref="IRunEventSink"/> that keeps every event and every change, in order.</summary>
public sealed class RecordingEventSink : IRunEventSink
{
    private readonly Lock _gate = new();
    private readonly List<RecordedEvent> _events = [];
    private readonly List<RecordedChange> _changes = [];
    private readonly List<RunUsage> _usageReports = [];

    public RecordingEventSink(RunUsage? initialUsage = null, string? initialModel = null)
    {
        Usage = initialUsage ?? RunUsage.Zero;
        Model = initialModel;
    }

    /// <summary>The events by seq, each with its current data.</summary>
    public IReadOnlyList<RecordedEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Every creation and completion, in position order.</summary>
    public IReadOnlyList<RecordedChange> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>Every usage reported, in order.</summary>
    public IReadOnlyList<RunUsage> UsageReports
    {
        get
        {
            lock (_gate)
            {
                return [.. _usageReports];
            }
        }
    }

    public RunUsage Usage { get; private set; }

    public string? Model { get; private set; }

    public int LastSeq
    {
        get
        {
            lock (_gate)
            {
                return _events.Count;
            }
        }
    }

    public int Append(string type, JsonElement data, bool inProgress = false)
    {
        lock (_gate)
        {
            var seq = _events.Count + 1;
            _events.Add(new RecordedEvent(seq, type, data.Clone(), InProgress: inProgress, WasInProgress: inProgress));
            _changes.Add(new RecordedChange(seq, type, data.Clone(), Completion: false));
            return seq;
        }
    }

    public void Complete(int seq, JsonElement data)
    {
        lock (_gate)
        {
            var existing = _events[seq - 1];
            if (!existing.InProgress)
            {
                throw new InvalidOperationException($"Event {seq} ({existing.Type}) is not in progress.");
            }

            _events[seq - 1] = existing with { Data = data.Clone(), InProgress = false };
            _changes.Add(new RecordedChange(seq, existing.Type, data.Clone(), Completion: true));
        }
    }

    public void ReportUsage(RunUsage usage, string? model)
    {
        lock (_gate)
        {
            Usage = usage;
            Model = model;
            _usageReports.Add(usage);
        }
    }

    /// <summary>The types of the events, by seq.</summary>
    public IReadOnlyList<string> Types => [.. Events.Select(e => e.Type)];
}

/// <summary>One event as it stands now.</summary>
public sealed record RecordedEvent(int Seq, string Type, JsonElement Data, bool InProgress, bool WasInProgress);

/// <summary>One creation or in-place completion of an event.</summary>
public sealed record RecordedChange(int Seq, string Type, JsonElement Data, bool Completion);
