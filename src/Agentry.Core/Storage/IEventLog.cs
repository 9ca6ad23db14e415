using Agentry.Core.Events;

namespace Agentry.Core.Storage;

/// <summary>The read side of the run event log.</summary>
public interface IEventLog
{
    /// <summary>A run's events in seq order: those with seq greater than <paramref name="afterSeq"/>, skipping <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<RunEvent>> ListAsync(string runId, int afterSeq, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>How many events the run has with seq greater than <paramref name="afterSeq"/>.</summary>
    Task<int> CountAsync(string runId, int afterSeq, CancellationToken cancellationToken);

    /// <summary>
    /// The current state of every event of the run changed after <paramref name="afterPosition"/>, in position
    /// order, at most <paramref name="limit"/>: what a stream resuming from that position must send.
    /// </summary>
    Task<IReadOnlyList<RunEvent>> ReadChangesAsync(string runId, long afterPosition, int limit, CancellationToken cancellationToken);
}
