namespace Agentry.Sqlite;

/// <summary>
/// The store-wide change order of run rows (<c>runs.change_seq</c>), kept in memory because the writer connection is
/// the only writer of this process: values are handed out one by one inside write transactions, which commit one at a
/// time in the order they took them, so a reader that sees a value also sees every lower one — what resuming a feed
/// by cursor relies on. A value taken by a transaction that rolls back is never reused: a failure leaves a gap, never
/// a step back.
/// </summary>
/// <remarks>
/// Another process may write the same file (two nodes on one disk). Each write transaction first compares the file's
/// <c>PRAGMA data_version</c>, which changes only when another connection committed; then the counter catches up with
/// the file's <c>MAX(change_seq)</c>. The write lock taken by <c>BEGIN IMMEDIATE</c> keeps that read current.
/// </remarks>
internal sealed class ChangeSequence
{
    private long _last;
    private long? _dataVersion;

    /// <summary>Catches up with the file when another connection wrote it since the last sync (or at the first write).</summary>
    public void Sync(long dataVersion, Func<long> readMax)
    {
        if (_dataVersion != dataVersion)
        {
            _last = Math.Max(_last, readMax());
            _dataVersion = dataVersion;
        }
    }

    /// <summary>The next value; called only under the store's write gate, after <see cref="Sync"/>.</summary>
    public long Next() => ++_last;
}
