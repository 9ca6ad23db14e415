using System.Diagnostics;
using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Agentry.Core.Execution;

/// <summary>
/// Executes one claimed run from start to its end state: loads the revision, arms the timeout, hands the run
/// to the <see cref="IAgentRuntime"/>, and turns the outcome — a result, a coded failure, a cancel, a timeout,
/// a shutdown or an internal error — into exactly one transition through the <see cref="RunStateMachine"/>.
/// </summary>
public sealed partial class RunWorker(
    IAgentStore agents,
    IAgentRuntime runtime,
    EventWriter writer,
    RunStateMachine stateMachine,
    ActiveRuns activeRuns,
    TimeProvider time,
    ILogger<RunWorker> logger,
    AgentryMetrics? metrics = null)
{
    /// <summary>Executes <paramref name="run"/>, which this node has just claimed for <paramref name="leaseOwner"/>.</summary>
    public async Task ExecuteAsync(Run run, string leaseOwner)
    {
        ArgumentNullException.ThrowIfNull(run);
        using var active = activeRuns.Add(run.Id);
        using var logScope = logger.BeginScope(new Dictionary<string, object?> { ["RunId"] = run.Id, ["AgentId"] = run.AgentId });
        metrics?.RunStarted(run);
        var sink = new RunEventSink(writer, run.Id, leaseOwner, run.LastSeq, time);
        var timeout = new Agents.RunLimits().Timeout;
        using var activity = StartActivity(run, await AgentNameAsync(run));
        try
        {
            var revision = await agents.GetRevisionAsync(run.OrganizationId, run.AgentId, run.RevisionId, active.Token)
                ?? throw new RunFailedException(RunErrorCodes.Internal, $"Revision {run.RevisionId} of agent {run.AgentId} no longer exists.");
            timeout = revision.Config.Limits.Timeout;
            using var timer = time.CreateTimer(static state => ((ActiveRun)state!).Stop(RunStopReason.TimedOut), active, timeout, Timeout.InfiniteTimeSpan);

            var outcome = await runtime.ExecuteAsync(new RunContext(run, revision, sink), active.Token);
            var completed = await writer.WriteAsync(
                stateMachine.Complete(run.Id, leaseOwner, sink.NextSeq(), outcome.ResultData, outcome.Sources, outcome.Usage, outcome.Model ?? sink.Model, TraceIdOf(activity)));
            if (completed.Outcome != RunWriteOutcome.Applied)
            {
                LogEndRejected(logger, run.Id, "done");
            }
        }
        catch (OperationCanceledException) when (active.Reason is { } reason)
        {
            await StopAsync(run, leaseOwner, sink, reason, timeout);
        }
        catch (RunFailedException failure)
        {
            await FailAsync(run.Id, leaseOwner, sink, failure.Code, failure.Message, failure.EventSeq);
        }
#pragma warning disable CA1031 // Any other failure is a bug of ours or a dependency: the run must still end, as internal.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRunCrashed(logger, exception, run.Id);
            await FailAsync(run.Id, leaseOwner, sink, RunErrorCodes.Internal, "The run stopped because of an internal error; the server log has the details.", null);
        }
    }

    private async Task StopAsync(Run run, string leaseOwner, RunEventSink sink, RunStopReason reason, TimeSpan timeout)
    {
        switch (reason)
        {
            case RunStopReason.Cancelled:
                await FailAsync(run.Id, leaseOwner, sink, RunErrorCodes.Cancelled, "The run was cancelled.", null);
                break;
            case RunStopReason.TimedOut:
                await FailAsync(run.Id, leaseOwner, sink, RunErrorCodes.Timeout, $"The run did not finish within its timeout of {timeout.TotalSeconds:0} seconds.", null);
                break;
            case RunStopReason.ShuttingDown:
                sink.CloseOpenEvents("interrupted: the worker shut down");
                var released = await writer.WriteAsync(stateMachine.Release(run.Id, leaseOwner, sink.NextSeq(), "The worker shut down; the run waits for another worker."));
                if (released.Outcome != RunWriteOutcome.Applied)
                {
                    LogEndRejected(logger, run.Id, "pending");
                }

                break;
            case RunStopReason.LeaseLost:
                // Another node took the run over; anything this worker wrote now would be fenced out anyway.
                LogLeaseLost(logger, run.Id);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, null);
        }
    }

    private async Task FailAsync(string runId, string leaseOwner, RunEventSink sink, string code, string message, int? eventSeq)
    {
        sink.CloseOpenEvents(message);
        var errorSeq = sink.Append(RunEventTypes.Error, AgentryJson.ToElement(new { code, message }));
        var error = new RunError(code, message, eventSeq ?? errorSeq);
        var activity = Activity.Current;
        activity?.SetStatus(ActivityStatusCode.Error, message);
        activity?.SetTag(AgentryTelemetry.ErrorType, code);
        var failed = await writer.WriteAsync(stateMachine.Fail(runId, leaseOwner, sink.NextSeq(), error, sink.Usage, sink.Model, TraceIdOf(activity)));
        if (failed.Outcome != RunWriteOutcome.Applied)
        {
            LogEndRejected(logger, runId, "error");
        }
    }

    /// <summary>
    /// The run's span, <c>invoke_agent {agent name}</c> (GenAI semantic conventions), parent of its model and tool calls.
    /// A run's trace starts with its execution: it has no parent, as the request that created the run has long ended.
    /// Started by the caller itself (not inside an async method), so that it stays <see cref="Activity.Current"/> there.
    /// </summary>
    private static Activity? StartActivity(Run run, string agentName) =>
        AgentryTelemetry.ActivitySource.StartActivity($"invoke_agent {agentName}", ActivityKind.Internal, parentContext: default)
            ?.SetTag(AgentryTelemetry.OperationName, "invoke_agent")
            .SetTag(AgentryTelemetry.AgentId, run.AgentId)
            .SetTag(AgentryTelemetry.AgentName, agentName)
            .SetTag(AgentryTelemetry.RunId, run.Id)
            .SetTag(AgentryTelemetry.RevisionId, run.RevisionId);

    /// <summary>The agent's name for the span; only read when something listens to the spans.</summary>
    private async Task<string> AgentNameAsync(Run run) =>
        AgentryTelemetry.ActivitySource.HasListeners()
            ? (await agents.GetAsync(run.OrganizationId, run.AgentId, CancellationToken.None))?.Name ?? run.AgentId
            : run.AgentId;

    private static string? TraceIdOf(Activity? activity) => activity?.TraceId.ToHexString();

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} crashed with an unexpected exception.")]
    private static partial void LogRunCrashed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} could not move to {Status}: it was no longer held by this worker (taken over or already ended).")]
    private static partial void LogEndRejected(ILogger logger, string runId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} was taken over by the watchdog while this worker ran it; this worker stops.")]
    private static partial void LogLeaseLost(ILogger logger, string runId);
}
