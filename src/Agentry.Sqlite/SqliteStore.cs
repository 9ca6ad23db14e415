using System.Globalization;
using Agentry.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Agentry.Sqlite;

/// <summary>
/// The embedded store: every storage contract over one SQLite file in WAL mode. All writes go through one
/// writer connection, one transaction at a time (SQLite has a single writer anyway; queuing in-process is
/// cheaper than retrying on SQLITE_BUSY), while reads open pooled connections of their own and run in
/// parallel with the writer and with each other. Call <see cref="MigrateAsync"/> once before use.
/// </summary>
public sealed partial class SqliteStore : IOrganizationStore, IAgentStore, IRunStore, IEventLog, IAsyncDisposable, IDisposable
{
    private readonly SqliteStoreOptions _options;
    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private readonly string _connectionPragmas;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;
    private WriterStatements? _statements;
    private ChangeSequence? _changes;
    private bool _disposed;

    public SqliteStore(IOptions<SqliteStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (string.IsNullOrWhiteSpace(_options.DataSource))
        {
            throw new ArgumentException("SqliteStoreOptions.DataSource must name the database file.", nameof(options));
        }

        var busySeconds = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds);
        _writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _options.DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = busySeconds,
        }.ToString();
        // Readers never write, so foreign keys would only cost a pragma per open; they are checked by the writer.
        _readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _options.DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = busySeconds,
        }.ToString();
        var synchronous = _options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        _connectionPragmas = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous};");
    }

    /// <summary>A store over <paramref name="options"/>, for tests and tools that do without dependency injection.</summary>
    public SqliteStore(SqliteStoreOptions options)
        : this(Options.Create(options))
    {
    }

    /// <summary>
    /// Creates the file if needed, turns on WAL and applies every migration the file does not have yet, each in
    /// its own transaction, then builds the analytics rollups if the file has finished runs but none yet (a file from
    /// before analytics). Idempotent; safe to call at every start.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var directory = Path.GetDirectoryName(Path.GetFullPath(_options.DataSource));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var writer = _writer ?? OpenWriterConnection();
            _writer = writer;
            for (var version = 1; version <= SqliteSchema.Migrations.Count; version++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var transaction = writer.BeginTransaction();
                // Read inside the write transaction: another process migrating the same file waits for us, then sees our version.
                if (ReadUserVersion(writer, transaction) >= version)
                {
                    continue;
                }

                Execute(writer, transaction, SqliteSchema.Migrations[version - 1]);
                Execute(writer, transaction, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version};"));
                transaction.Commit();
            }
        }
        finally
        {
            _writeGate.Release();
        }

        await RebuildRollupsIfMissingAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _writeGate.WaitAsync();
        try
        {
            DisposeWriter();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            DisposeWriter();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>A pragma's value as the writer connection sees it (tests check per-connection settings with it).</summary>
    internal async Task<long> ReadWriterPragmaAsync(string pragma, CancellationToken cancellationToken) =>
        await WriteAsync(
            transaction =>
            {
                using var command = transaction.Connection!.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "PRAGMA " + pragma;
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            },
            cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a write transaction on the writer connection, after every earlier write.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            EnsureWriterReady();
            // BEGIN IMMEDIATE: takes the file's write lock now, so another process cannot make this transaction fail half-way.
            using var transaction = _writer!.BeginTransaction(deferred: false);
            SyncChangeSequence(transaction);
            var result = work(transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private Task<T> WriteAsync<T>(Func<WriterStatements, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        WriteAsync(transaction => work(_statements!, transaction), cancellationToken);

    /// <summary>The change order of run rows; valid inside a write (the writer is ready).</summary>
    private ChangeSequence Changes => _changes!;

    private void SyncChangeSequence(SqliteTransaction transaction)
    {
        long dataVersion;
        using (var version = _statements!.DataVersion.Query(transaction))
        {
            version.Read();
            dataVersion = version.GetInt64(0);
        }

        _changes!.Sync(dataVersion, () =>
        {
            using var max = _statements.MaxChangeSeq.Query(transaction);
            max.Read();
            return max.GetInt64(0);
        });
    }

    /// <summary>Runs <paramref name="work"/> on a pooled read connection inside a read transaction, so multi-query reads see one snapshot.</summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await using var connection = new SqliteConnection(_readerConnectionString);
        await connection.OpenAsync(cancellationToken);
        // No pragmas per open: readers never write (synchronous does not apply) and the connection string's
        // DefaultTimeout already makes Microsoft.Data.Sqlite retry a busy database.
        using var transaction = connection.BeginTransaction(deferred: true);
        return work(connection, transaction);
    }

    private void EnsureWriterReady()
    {
        if (_statements is not null)
        {
            return;
        }

        _writer ??= OpenWriterConnection();
        var version = ReadUserVersion(_writer, transaction: null);
        if (version != SqliteSchema.Migrations.Count)
        {
            throw new InvalidOperationException(
                version < SqliteSchema.Migrations.Count
                    ? $"The database '{_options.DataSource}' has schema version {version}; call SqliteStore.MigrateAsync first (it needs {SqliteSchema.Migrations.Count})."
                    : $"The database '{_options.DataSource}' has schema version {version}, newer than this Agentry ({SqliteSchema.Migrations.Count}).");
        }

        _changes = new ChangeSequence();
        _statements = new WriterStatements(_writer);
    }

    private SqliteConnection OpenWriterConnection()
    {
        var connection = new SqliteConnection(_writerConnectionString);
        try
        {
            connection.Open();
            // WAL persists in the file; synchronous and busy_timeout do not, so every connection sets them.
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                var mode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    // Without WAL, readers would block the writer; refuse rather than run slow and stall (e.g. on a network share).
                    throw new InvalidOperationException($"The database '{_options.DataSource}' cannot use WAL (journal mode stays '{mode}'); put it on a local disk.");
                }
            }

            Execute(connection, transaction: null, _connectionPragmas);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void DisposeWriter()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _statements?.Dispose();
        _writer?.Dispose();
        using var pooled = new SqliteConnection(_readerConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private static long ReadUserVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
