using System.Collections.Concurrent;

namespace Agentry.Core.Events;

/// <summary>
/// Wakes whoever watches a run (streams, long polls) after its changes are committed. It carries no data:
/// live delivery is a hint and storage is the truth, so a woken subscriber reads the log from its position.
/// Subscribe first, then read the backlog, then wait — a change committed in between still wakes the waiter.
/// Besides single runs, it wakes whoever watches all the runs of an organization (live run lists).
/// </summary>
public sealed class RunEventHub
{
    private readonly ConcurrentDictionary<string, RunSubscriptions> _byRun = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RunSubscriptions> _byOrganization = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts watching <paramref name="runId"/>; dispose the subscription to stop. With
    /// <paramref name="statusChangesOnly"/>, only changes of the run's status wake it (a long poll waiting for the
    /// end need not re-read the run for every event).
    /// </summary>
    public RunChangeSubscription Subscribe(string runId, bool statusChangesOnly = false) =>
        Add(_byRun, runId, new RunChangeSubscription(this, runId, statusChangesOnly));

    /// <summary>
    /// Starts watching every run of <paramref name="organizationId"/>: woken after a commit that created a run of it or
    /// changed one's row (status, usage, cancel request). Dispose the subscription to stop.
    /// </summary>
    public OrganizationChangeSubscription SubscribeOrganization(string organizationId) =>
        Add(_byOrganization, organizationId, new OrganizationChangeSubscription(this, organizationId));

    /// <summary>How many subscriptions are open (a gauge for monitoring).</summary>
    public int SubscriberCount => _byRun.Values.Sum(static s => s.Count) + _byOrganization.Values.Sum(static s => s.Count);

    /// <summary>
    /// Signalled when the dispatcher may have work: runs became pending, or a worker freed a slot. One signal
    /// for both, so the dispatcher waits on one thing; a needless wake costs one empty claim at most.
    /// </summary>
    public RunChangeSignal WorkAvailable { get; } = new();

    /// <summary>
    /// Wakes the subscribers of each run in <paramref name="runIds"/>; those watching status changes only are woken
    /// for the runs in <paramref name="statusChanged"/>. Called after commit.
    /// </summary>
    public void Publish(IEnumerable<string> runIds, IReadOnlySet<string> statusChanged)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        ArgumentNullException.ThrowIfNull(statusChanged);
        foreach (var runId in runIds)
        {
            if (_byRun.TryGetValue(runId, out var subscriptions))
            {
                subscriptions.Signal(statusChanged.Contains(runId));
            }
        }
    }

    /// <summary>
    /// Wakes the subscribers of each organization in <paramref name="organizationIds"/> (repeats are harmless).
    /// Called after a commit that changed run rows of those organizations.
    /// </summary>
    public void PublishOrganizations(IEnumerable<string> organizationIds)
    {
        ArgumentNullException.ThrowIfNull(organizationIds);
        foreach (var organizationId in organizationIds)
        {
            if (_byOrganization.TryGetValue(organizationId, out var subscriptions))
            {
                subscriptions.Signal(statusChanged: true);
            }
        }
    }

    internal void Remove(ChangeSubscription subscription)
    {
        var registry = subscription is OrganizationChangeSubscription ? _byOrganization : _byRun;
        if (registry.TryGetValue(subscription.Key, out var subscriptions) && subscriptions.Remove(subscription))
        {
            // Remove the entry only if it is still the empty one we saw, so a concurrent Subscribe is never lost.
            registry.TryRemove(new KeyValuePair<string, RunSubscriptions>(subscription.Key, subscriptions));
        }
    }

    private static T Add<T>(ConcurrentDictionary<string, RunSubscriptions> registry, string key, T subscription)
        where T : ChangeSubscription
    {
        registry.AddOrUpdate(
            key,
            static (_, s) => new RunSubscriptions(s),
            static (_, existing, s) => existing.Add(s),
            subscription);
        return subscription;
    }

    private sealed class RunSubscriptions
    {
        private readonly Lock _gate = new();
        private readonly List<ChangeSubscription> _items = [];
        private bool _retired;

        public RunSubscriptions(ChangeSubscription first) => _items.Add(first);

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _items.Count;
                }
            }
        }

        public RunSubscriptions Add(ChangeSubscription subscription)
        {
            lock (_gate)
            {
                if (_retired)
                {
                    return new RunSubscriptions(subscription);
                }

                _items.Add(subscription);
                return this;
            }
        }

        /// <summary>Removes the subscription; true when the list became empty and is retired.</summary>
        public bool Remove(ChangeSubscription subscription)
        {
            lock (_gate)
            {
                _items.Remove(subscription);
                _retired = _items.Count == 0;
                return _retired;
            }
        }

        public void Signal(bool statusChanged)
        {
            ChangeSubscription[] items;
            lock (_gate)
            {
                items = [.. _items];
            }

            foreach (var item in items)
            {
                if (statusChanged || !item.StatusChangesOnly)
                {
                    item.Signal.Set();
                }
            }
        }
    }
}

/// <summary>A watch registered with the <see cref="RunEventHub"/>; <see cref="WaitAsync"/> completes when what it watches changed since the last wait.</summary>
public abstract class ChangeSubscription : IDisposable
{
    private readonly RunEventHub _hub;

    private protected ChangeSubscription(RunEventHub hub, string key, bool statusChangesOnly)
    {
        _hub = hub;
        Key = key;
        StatusChangesOnly = statusChangesOnly;
    }

    /// <summary>True when only status changes wake this subscription.</summary>
    public bool StatusChangesOnly { get; }

    /// <summary>The run or organization id the subscription is registered under.</summary>
    internal string Key { get; }

    internal RunChangeSignal Signal { get; } = new();

    /// <summary>Waits until a change or <paramref name="timeout"/> passes; true when something changed.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => Signal.WaitAsync(timeout, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _hub.Remove(this);
        GC.SuppressFinalize(this);
    }
}

/// <summary>A watch on one run.</summary>
public sealed class RunChangeSubscription : ChangeSubscription
{
    internal RunChangeSubscription(RunEventHub hub, string runId, bool statusChangesOnly)
        : base(hub, runId, statusChangesOnly)
    {
    }

    /// <summary>The watched run.</summary>
    public string RunId => Key;
}

/// <summary>A watch on every run of one organization (a hint to re-read its run changes).</summary>
public sealed class OrganizationChangeSubscription : ChangeSubscription
{
    internal OrganizationChangeSubscription(RunEventHub hub, string organizationId)
        : base(hub, organizationId, statusChangesOnly: false)
    {
    }

    /// <summary>The watched organization.</summary>
    public string OrganizationId => Key;
}

/// <summary>An auto-reset signal that remembers a <see cref="Set"/> made while nobody waited.</summary>
public sealed class RunChangeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _waiter = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _set;

    /// <summary>Wakes the current waiter, or the next one if none waits now.</summary>
    public void Set()
    {
        TaskCompletionSource toRelease;
        lock (_gate)
        {
            _set = true;
            toRelease = _waiter;
        }

        toRelease.TrySetResult();
    }

    /// <summary>Waits for a <see cref="Set"/> (consuming it) or the timeout; true when set.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task waitFor;
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return true;
            }

            waitFor = _waiter.Task;
        }

        try
        {
            await waitFor.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return false;
        }

        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        return true;
    }
}
