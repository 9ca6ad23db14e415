using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

/// <summary>
/// A command kept on the writer connection and executed many times: SQLite compiles it once, and each
/// execution only rebinds values. Values bind in the order of the parameter names given at creation.
/// </summary>
internal sealed class Statement : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public Statement(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            _parameters[i] = _command.Parameters.Add(new SqliteParameter(parameterNames[i], DBNull.Value));
        }
    }

    public int Execute(SqliteTransaction transaction, params ReadOnlySpan<object?> values) => Bind(transaction, values).ExecuteNonQuery();

    public SqliteDataReader Query(SqliteTransaction transaction, params ReadOnlySpan<object?> values) => Bind(transaction, values).ExecuteReader();

    public void Dispose() => _command.Dispose();

    private SqliteCommand Bind(SqliteTransaction transaction, ReadOnlySpan<object?> values)
    {
        if (values.Length != _parameters.Length)
        {
            throw new ArgumentException($"The statement takes {_parameters.Length} values, not {values.Length}.", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }

        _command.Transaction = transaction;
        return _command;
    }
}
