namespace Agentry.Sqlite;

/// <summary>Where the embedded store keeps its file and how hard it flushes.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>
    /// The path of the database file; created with its directory when missing. Required. A file, not
    /// <c>:memory:</c>: the store relies on WAL, which needs one.
    /// </summary>
    public string DataSource { get; set; } = string.Empty;

    /// <summary>
    /// How each commit is flushed; <see cref="SqliteSynchronous.Normal"/> by default. Set on every connection,
    /// because SQLite does not persist it in the file.
    /// </summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>How long a statement waits for another process's lock before failing; 5 seconds by default.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>SQLite's <c>synchronous</c> settings that are safe with WAL.</summary>
public enum SqliteSynchronous
{
    /// <summary>
    /// Syncs at checkpoints only: a commit survives a crash of the process, and a power loss can drop the last
    /// commits but never corrupts the file. SQLite's recommendation for WAL.
    /// </summary>
    Normal,

    /// <summary>Syncs the WAL at every commit: a commit also survives a power loss, at the disk's flush rate.</summary>
    Full,
}
