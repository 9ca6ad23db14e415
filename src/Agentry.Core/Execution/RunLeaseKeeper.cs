using Agentry.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Execution;

/// <summary>
/// The heartbeat of this node's runs: renews the leases of every executing run in one statement per tick, stops
/// runs whose lease was taken over, and picks up cancel requests made on other nodes.
/// </summary>
public sealed partial class RunLeaseKeeper(
    IRunStore store,
    ActiveRuns activeRuns,
    NodeIdentity node,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<RunLeaseKeeper> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Renews every lease this node holds now and acts on what the store says.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        var ids = activeRuns.Ids;
        if (ids.Count == 0)
        {
            return;
        }

        try
        {
            var states = await store.RenewLeasesAsync(node.LeaseOwner, ids, time.GetUtcNow() + options.Value.LeaseDuration, cancellationToken);
            foreach (var state in states)
            {
                if (!state.StillHeld)
                {
                    activeRuns.TryStop(state.RunId, RunStopReason.LeaseLost);
                }
                else if (state.CancelRequested)
                {
                    activeRuns.TryStop(state.RunId, RunStopReason.Cancelled);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A missed heartbeat is retried next tick; the lease outlives several ticks.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRenewFailed(logger, exception, ids.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the leases of {Count} runs failed; retrying on the next heartbeat.")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception, int count);
}
