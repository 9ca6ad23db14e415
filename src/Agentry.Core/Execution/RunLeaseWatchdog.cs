using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Execution;

/// <summary>
/// Takes over runs whose worker died: a running run whose lease expired ends in <c>error</c> / <c>worker_lost</c>,
/// naming the last event its worker wrote, so no run stays running forever. Runs on every node; the store's
/// conditional transition makes sure only one node ends each run, and only while its lease is still expired.
/// </summary>
public sealed partial class RunLeaseWatchdog(
    IRunStore store,
    EventWriter writer,
    RunStateMachine stateMachine,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<RunLeaseWatchdog> logger) : BackgroundService
{
    private const int BatchSize = 100;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.WatchdogInterval, time);
        try
        {
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Ends every run whose lease has expired now; answers how many it ended.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var ended = 0;
        try
        {
            IReadOnlyList<Run> expired;
            do
            {
                expired = await store.FindExpiredLeasesAsync(time.GetUtcNow(), BatchSize, cancellationToken);
                if (expired.Count == 0)
                {
                    break;
                }

                var results = await writer.WriteAsync([.. expired.Select(stateMachine.WorkerLost)], cancellationToken);
                for (var i = 0; i < expired.Count; i++)
                {
                    if (results[i].Outcome == RunWriteOutcome.Applied)
                    {
                        ended++;
                        LogWorkerLost(logger, expired[i].Id, expired[i].LeaseOwner, expired[i].LastSeq);
                    }
                }
            }
            while (expired.Count == BatchSize);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The watchdog must survive a store hiccup; it sweeps again next tick.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogSweepFailed(logger, exception);
        }

        return ended;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} lost its worker {LeaseOwner} (lease expired) after event {LastSeq}; it ends as worker_lost.")]
    private static partial void LogWorkerLost(ILogger logger, string runId, string? leaseOwner, int lastSeq);

    [LoggerMessage(Level = LogLevel.Error, Message = "The lease watchdog's sweep failed; it tries again next tick.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
