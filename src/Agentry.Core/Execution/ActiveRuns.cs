using System.Collections.Concurrent;

namespace Agentry.Core.Execution;

/// <summary>Why an executing run is being stopped; the first reason given wins.</summary>
public enum RunStopReason
{
    /// <summary>A user asked to cancel it.</summary>
    Cancelled,

    /// <summary>It ran past its timeout.</summary>
    TimedOut,

    /// <summary>This node is shutting down and gives the run back.</summary>
    ShuttingDown,

    /// <summary>Its lease was taken over (the watchdog judged this worker dead); it must stop writing.</summary>
    LeaseLost,
}

/// <summary>The runs this node is executing, each with the token that stops it.</summary>
public sealed class ActiveRuns
{
    /// <summary>How long a stop for a run this node does not (yet) execute is remembered.</summary>
    private const long EarlyStopLifetimeMs = 60_000;

    private readonly ConcurrentDictionary<string, ActiveRun> _runs = new(StringComparer.Ordinal);

    // A run is claimed, then its worker starts a moment later: a cancel arriving in between must not be lost.
    private readonly ConcurrentDictionary<string, (RunStopReason Reason, long At)> _earlyStops = new(StringComparer.Ordinal);

    /// <summary>How many runs are executing.</summary>
    public int Count => _runs.Count;

    /// <summary>The ids of the executing runs.</summary>
    public IReadOnlyCollection<string> Ids => [.. _runs.Keys];

    /// <summary>
    /// Stops an executing run of this node; false when this node is not executing it. A run claimed here whose worker
    /// has not started yet is stopped as soon as it starts (the stop is remembered for a minute).
    /// </summary>
    public bool TryStop(string runId, RunStopReason reason)
    {
        if (_runs.TryGetValue(runId, out var run))
        {
            run.Stop(reason);
            return true;
        }

        ForgetOldEarlyStops();
        _earlyStops[runId] = (reason, Environment.TickCount64);

        // The worker may have started between the lookup and the note; then it did not see the note.
        if (_runs.TryGetValue(runId, out run) && _earlyStops.TryRemove(runId, out var early))
        {
            run.Stop(early.Reason);
            return true;
        }

        return false;
    }

    /// <summary>Stops every executing run.</summary>
    public void StopAll(RunStopReason reason)
    {
        foreach (var run in _runs.Values)
        {
            run.Stop(reason);
        }
    }

    internal ActiveRun Add(string runId)
    {
        var run = new ActiveRun(runId, this);
        if (!_runs.TryAdd(runId, run))
        {
            run.Dispose();
            throw new InvalidOperationException($"Run {runId} is already executing on this node.");
        }

        if (_earlyStops.TryRemove(runId, out var early))
        {
            run.Stop(early.Reason);
        }

        return run;
    }

    private void ForgetOldEarlyStops()
    {
        var now = Environment.TickCount64;
        foreach (var (runId, stop) in _earlyStops)
        {
            if (now - stop.At > EarlyStopLifetimeMs)
            {
                _earlyStops.TryRemove(runId, out _);
            }
        }
    }

    internal void Remove(ActiveRun run) => _runs.TryRemove(new KeyValuePair<string, ActiveRun>(run.RunId, run));
}

/// <summary>One executing run: its stop token and why it was stopped.</summary>
internal sealed class ActiveRun(string runId, ActiveRuns owner) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _reason = -1;

    public string RunId { get; } = runId;

    public CancellationToken Token => _stop.Token;

    public RunStopReason? Reason => _reason < 0 ? null : (RunStopReason)Volatile.Read(ref _reason);

    public void Stop(RunStopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, -1) == -1)
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The run finished between the lookup and the stop; nothing is left to stop.
            }
        }
    }

    public void Dispose()
    {
        owner.Remove(this);
        _stop.Dispose();
    }
}
