using System.Threading.Channels;
using Agentry.Core.Common;
using Agentry.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Events;

/// <summary>
/// The one path by which runs and their events are written. Writes from every run queue here and are applied
/// in batches — many events of many runs per transaction — because a commit per event would cap the platform
/// at the disk's flush rate. After each commit it wakes the watchers of the runs it touched.
/// Writes enqueued together (<see cref="WriteAsync(IReadOnlyList{RunWrite}, CancellationToken)"/>) always land
/// in the same transaction; writes of one run are applied in the order they were enqueued.
/// </summary>
public sealed partial class EventWriter : IHostedService, IAsyncDisposable
{
    private readonly Channel<PendingGroup> _queue = Channel.CreateUnbounded<PendingGroup>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IRunStore _store;
    private readonly RunEventHub _hub;
    private readonly ILogger<EventWriter> _logger;
    private readonly AgentryMetrics? _metrics;
    private readonly int _maxBatch;
    private Task? _loop;

    /// <param name="store">Where batches are applied.</param>
    /// <param name="hub">Woken after each commit.</param>
    /// <param name="options">The batch size.</param>
    /// <param name="logger">For failed batches.</param>
    /// <param name="metrics">Counts events written and runs finished; none when null.</param>
    public EventWriter(IRunStore store, RunEventHub hub, IOptions<EventWriterOptions> options, ILogger<EventWriter> logger, AgentryMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _hub = hub;
        _logger = logger;
        _metrics = metrics;
        _maxBatch = options.Value.MaxBatchSize;
    }

    /// <summary>How many transactions the writer has committed (for benchmarks and monitoring).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>How many writes the writer has applied.</summary>
    public long WritesApplied => Interlocked.Read(ref _writes);

    private long _commits;
    private long _writes;

    /// <summary>Queues one write and completes when it is committed (or rejected, or the batch failed).</summary>
    public async Task<RunWriteResult> WriteAsync(RunWrite write, CancellationToken cancellationToken = default)
    {
        var results = await WriteAsync([write], cancellationToken);
        return results[0];
    }

    /// <summary>Queues writes that must land in one transaction; completes with one result per write.</summary>
    public Task<IReadOnlyList<RunWriteResult>> WriteAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var completion = new TaskCompletionSource<IReadOnlyList<RunWriteResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new PendingGroup(writes, completion)))
        {
            throw new InvalidOperationException("The event writer has stopped; no more writes are accepted.");
        }

        // The caller may stop waiting, but the write itself stays queued: it is already promised to the log.
        return completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues a write without waiting for it; a failure is logged, and fenced-out writes are expected after a lost lease.</summary>
    public void Post(RunWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var group = new PendingGroup([write], null);
        if (!_queue.Writer.TryWrite(group))
        {
            LogWriteAfterStop(_logger, write.RunId);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops accepting writes and waits until everything queued is committed.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        var groups = new List<PendingGroup>();
        var writes = new List<RunWrite>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            groups.Clear();
            writes.Clear();
            while (writes.Count < _maxBatch && reader.TryPeek(out var next) && (writes.Count == 0 || writes.Count + next.Writes.Count <= _maxBatch))
            {
                reader.TryRead(out var group);
                groups.Add(group!);
                writes.AddRange(group!.Writes);
            }

            await CommitAsync(groups, writes);
        }
    }

    private async Task CommitAsync(List<PendingGroup> groups, List<RunWrite> writes)
    {
        IReadOnlyList<RunWriteResult> results;
        try
        {
            results = await _store.ApplyAsync(writes, CancellationToken.None);
        }
#pragma warning disable CA1031 // A failed batch must fail its callers, never kill the writer loop.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogBatchFailed(_logger, exception, writes.Count);
            foreach (var group in groups)
            {
                group.Completion?.TrySetException(exception);
            }

            return;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _writes, writes.Count);
        _metrics?.Committed(writes, results);

        var offset = 0;
        foreach (var group in groups)
        {
            var groupResults = new RunWriteResult[group.Writes.Count];
            for (var i = 0; i < groupResults.Length; i++)
            {
                groupResults[i] = results[offset + i];
            }

            offset += groupResults.Length;
            group.Completion?.TrySetResult(groupResults);
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        var statusChanged = new HashSet<string>(StringComparer.Ordinal);
        var organizations = new HashSet<string>(StringComparer.Ordinal);
        var pendingAppeared = false;
        for (var i = 0; i < writes.Count; i++)
        {
            if (results[i].Outcome == RunWriteOutcome.Applied)
            {
                touched.Add(writes[i].RunId);
                if (writes[i] is CreateRunWrite or TransitionWrite)
                {
                    statusChanged.Add(writes[i].RunId);
                }

                // Creates, transitions and usage writes change the run row (and answer it): live run lists must hear.
                if ((writes[i] is CreateRunWrite or TransitionWrite or UsageWrite) && results[i].Run is { } changed)
                {
                    organizations.Add(changed.OrganizationId);
                }

                pendingAppeared |= writes[i] is CreateRunWrite or TransitionWrite { To: Runs.RunStatus.Pending };
            }
        }

        _hub.Publish(touched, statusChanged);
        if (organizations.Count > 0)
        {
            _hub.PublishOrganizations(organizations);
        }

        if (pendingAppeared)
        {
            _hub.WorkAvailable.Set();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} run writes failed; its callers are told.")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A write for run {RunId} arrived after the event writer stopped; it is dropped.")]
    private static partial void LogWriteAfterStop(ILogger logger, string runId);

    private sealed record PendingGroup(IReadOnlyList<RunWrite> Writes, TaskCompletionSource<IReadOnlyList<RunWriteResult>>? Completion);
}

/// <summary>Settings of the <see cref="EventWriter"/>.</summary>
public sealed class EventWriterOptions
{
    /// <summary>The most writes one transaction carries (default 4,096).</summary>
    public int MaxBatchSize { get; set; } = 4096;
}
