using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Execution;

/// <summary>
/// Claims pending runs for this node's pool of workers and starts them, up to <see cref="WorkerOptions.Concurrency"/>
/// at once. It wakes when runs are created or given back, when a worker frees a slot, and on a poll interval
/// (for runs created on other nodes). On shutdown it stops claiming, lets in-flight runs finish for the grace
/// period, then stops the rest, whose workers give their leases back so a restart picks them up.
/// </summary>
public sealed partial class RunDispatcher(
    IRunStore store,
    RunWorker worker,
    RunStateMachine stateMachine,
    RunEventHub hub,
    ActiveRuns activeRuns,
    NodeIdentity node,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<RunDispatcher> logger) : BackgroundService
{
    private readonly WorkerOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _inFlight = [];

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and the writer start) before the first claim.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            bool claimedAll;
            try
            {
                claimedAll = await ClaimAndStartAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A store hiccup must not stop the dispatcher; it retries on the next tick.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogClaimFailed(logger, exception);
                claimedAll = false;
            }

            if (!claimedAll)
            {
                await WaitForWorkAsync(stoppingToken);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var inFlight = Snapshot();
        if (inFlight.Length == 0)
        {
            return;
        }

        LogDraining(logger, inFlight.Length, _options.ShutdownGracePeriod);
        try
        {
            await Task.WhenAll(inFlight).WaitAsync(_options.ShutdownGracePeriod, time, cancellationToken);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // The grace period (or the host's own shutdown timeout) is over: the rest give their leases back.
            activeRuns.StopAll(RunStopReason.ShuttingDown);
            await Task.WhenAll(Snapshot());
        }
    }

    /// <summary>Claims for the free slots; true when it filled its whole claim, so more runs may be waiting.</summary>
    private async Task<bool> ClaimAndStartAsync(CancellationToken stoppingToken)
    {
        var free = _options.Concurrency - InFlightCount();
        if (free <= 0)
        {
            // Every worker is busy: wait for one to free its slot.
            return false;
        }

        var want = Math.Min(free, _options.ClaimBatchSize);
        var leaseExpiresAt = time.GetUtcNow() + _options.LeaseDuration;
        var claimed = await store.ClaimAsync(node.LeaseOwner, want, leaseExpiresAt, stateMachine.Claimed(), stoppingToken);
        if (claimed.Count == 0)
        {
            return false;
        }

        var ids = claimed.Select(static r => r.Id).ToHashSet(StringComparer.Ordinal);
        hub.Publish(ids, ids);
        hub.PublishOrganizations(claimed.Select(static r => r.OrganizationId).Distinct(StringComparer.Ordinal));
        foreach (var run in claimed)
        {
            Start(run);
        }

        return claimed.Count == want;
    }

    private void Start(Run run)
    {
        var task = Task.Run(() => worker.ExecuteAsync(run, node.LeaseOwner), CancellationToken.None);
        lock (_gate)
        {
            _inFlight.Add(task);
        }

        _ = task.ContinueWith(
            finished =>
            {
                lock (_gate)
                {
                    _inFlight.Remove(finished);
                }

                hub.WorkAvailable.Set();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private int InFlightCount()
    {
        lock (_gate)
        {
            return _inFlight.Count;
        }
    }

    private Task[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _inFlight];
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await hub.WorkAvailable.WaitAsync(_options.PollInterval, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the loop condition ends the dispatcher.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Claiming pending runs failed; retrying on the next tick.")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: waiting up to {Grace} for {Count} in-flight runs before giving their leases back.")]
    private static partial void LogDraining(ILogger logger, int count, TimeSpan grace);
}

/// <summary>This node's identity in leases: one per process, so a restarted process never mistakes a dead one's runs for its own.</summary>
public sealed class NodeIdentity(IOptions<WorkerOptions> options)
{
    /// <summary>The lease owner written on the runs this node claims.</summary>
    public string LeaseOwner { get; } = string.IsNullOrWhiteSpace(options.Value.NodeId)
        ? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}"
        : options.Value.NodeId;
}
