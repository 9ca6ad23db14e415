using System.Diagnostics;
using System.Diagnostics.Metrics;
using Agentry.Core.Events;
using Agentry.Core.Execution;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Core.Common;

/// <summary>
/// The one <see cref="ActivitySource"/> of Agentry (also the source of the model-call spans made by
/// Microsoft.Extensions.AI's OpenTelemetry chat client) and the names of the GenAI semantic-convention attributes it
/// uses. A run is one trace: <c>invoke_agent {agent name}</c> with a <c>chat</c> span per model call and an
/// <c>execute_tool {tool}</c> span per tool call beneath it.
/// </summary>
public static class AgentryTelemetry
{
    /// <summary>The name of the activity source and of the meter (<see cref="AgentryMetrics"/>).</summary>
    public const string Name = "Agentry";

    public const string OperationName = "gen_ai.operation.name";
    public const string AgentId = "gen_ai.agent.id";
    public const string AgentName = "gen_ai.agent.name";
    public const string ToolName = "gen_ai.tool.name";
    public const string ToolCallId = "gen_ai.tool.call.id";
    public const string ToolType = "gen_ai.tool.type";
    public const string ErrorType = "error.type";
    public const string RunId = "agentry.run.id";
    public const string RevisionId = "agentry.revision.id";
    public const string RunStatus = "agentry.run.status";

    /// <summary>Agentry's spans.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(AgentryTelemetry).Assembly.GetName().Version?.ToString());
}

/// <summary>
/// Agentry's metrics, on one <see cref="Meter"/> named <see cref="AgentryTelemetry.Name"/>: runs started and finished
/// (by agent, status and error code), run duration, queue wait, tokens and cost of finished runs, events written, and
/// the gauges active runs, queue depth and live stream subscribers.
/// </summary>
public sealed class AgentryMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Counter<long> _runsStarted;
    private readonly Counter<long> _runsFinished;
    private readonly Histogram<double> _runDuration;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Counter<long> _eventsWritten;

    public AgentryMetrics(IMeterFactory meterFactory, ActiveRuns activeRuns, RunEventHub hub, IRunStore store)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(activeRuns);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(store);
        _meter = meterFactory.Create(AgentryTelemetry.Name);
        _runsStarted = _meter.CreateCounter<long>("agentry.runs.started", "{run}", "Runs a worker started executing (each attempt).");
        _runsFinished = _meter.CreateCounter<long>("agentry.runs.finished", "{run}", "Runs that ended, by agent, status and error code.");
        _runDuration = _meter.CreateHistogram<double>("agentry.run.duration", "s", "From start to end of finished runs.");
        _queueWait = _meter.CreateHistogram<double>("agentry.run.queue_wait", "s", "From creation to the first start of a run.");
        _tokens = _meter.CreateCounter<long>("agentry.run.tokens", "{token}", "Tokens of finished runs, by agent and type (input, output).");
        _cost = _meter.CreateCounter<double>("agentry.run.cost", "USD", "Cost of finished runs, by agent.");
        _eventsWritten = _meter.CreateCounter<long>("agentry.events.written", "{event}", "Run events created or changed (committed).");
        _meter.CreateObservableGauge("agentry.runs.active", () => (long)activeRuns.Count, "{run}", "Runs executing on this node.");
        // The queue depth is a store read; the reader calls it once per export interval.
        _meter.CreateObservableGauge("agentry.queue.depth", () => store.CountPendingAsync(CancellationToken.None).GetAwaiter().GetResult(), "{run}", "Pending runs.");
        _meter.CreateObservableGauge("agentry.stream.subscribers", () => (long)hub.SubscriberCount, "{subscriber}", "Live watchers of runs and run feeds on this node.");
    }

    /// <summary>A worker started <paramref name="run"/> (just claimed); its first start also records its queue wait.</summary>
    public void RunStarted(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _runsStarted.Add(1, new KeyValuePair<string, object?>(AgentryTelemetry.AgentId, run.AgentId));
        if (run.Attempt == 1 && run.StartedAt is { } started)
        {
            _queueWait.Record((started - run.CreatedAt).TotalSeconds, new KeyValuePair<string, object?>(AgentryTelemetry.AgentId, run.AgentId));
        }
    }

    /// <summary>Records what a committed batch did: the events it wrote and the runs it ended.</summary>
    public void Committed(IReadOnlyList<RunWrite> writes, IReadOnlyList<RunWriteResult> results)
    {
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(results);
        long events = 0;
        for (var i = 0; i < results.Count; i++)
        {
            events += results[i].Events.Count;
            if (writes[i] is TransitionWrite && results[i] is { Outcome: RunWriteOutcome.Applied, Run: { IsTerminal: true } run })
            {
                RunFinished(run);
            }
        }

        if (events > 0)
        {
            _eventsWritten.Add(events);
        }
    }

    public void Dispose() => _meter.Dispose();

    private void RunFinished(Run run)
    {
        var agent = new KeyValuePair<string, object?>(AgentryTelemetry.AgentId, run.AgentId);
        var status = new KeyValuePair<string, object?>(AgentryTelemetry.RunStatus, run.Status.ToApiName());
        var error = new KeyValuePair<string, object?>(AgentryTelemetry.ErrorType, run.Error?.Code);
        _runsFinished.Add(1, agent, status, error);
        if (run.StartedAt is { } started && run.CompletedAt is { } completed)
        {
            _runDuration.Record((completed - started).TotalSeconds, agent, status);
        }

        _tokens.Add(run.Usage.InputTokens, agent, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        _tokens.Add(run.Usage.OutputTokens, agent, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
        _cost.Add((double)run.Usage.CostUsd, agent);
    }
}
