using Agentry.Core.Organizations;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

public sealed partial class SqliteStore
{
    private const string KeyColumns = "id, organization_id, name, key_hash, scopes, created_at, revoked_at";

    public Task CreateAsync(Organization organization, ApiKey firstKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(firstKey);
        return WriteAsync(
            transaction =>
            {
                using (var insert = Command(
                           transaction,
                           "INSERT INTO organizations (id, name, created_at) VALUES ($id, $name, $created_at)",
                           ("$id", organization.Id),
                           ("$name", organization.Name),
                           ("$created_at", SqliteValues.Time(organization.CreatedAt))))
                {
                    insert.ExecuteNonQuery();
                }

                InsertKey(transaction, firstKey);
                return true;
            },
            cancellationToken);
    }

    public Task<Organization?> GetAsync(string organizationId, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(transaction, "SELECT id, name, created_at FROM organizations WHERE id = $id", ("$id", organizationId));
                using var reader = command.ExecuteReader();
                return reader.Read() ? new Organization(reader.GetString(0), reader.GetString(1), reader.GetTime(2)) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<Organization>> ListAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<Organization>>(
            (_, transaction) =>
            {
                using var command = Command(transaction, "SELECT id, name, created_at FROM organizations ORDER BY created_at, id");
                var organizations = new List<Organization>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    organizations.Add(new Organization(reader.GetString(0), reader.GetString(1), reader.GetTime(2)));
                }

                return organizations;
            },
            cancellationToken);

    public Task AddKeyAsync(ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(
            transaction =>
            {
                InsertKey(transaction, key);
                return true;
            },
            cancellationToken);
    }

    public Task<ApiKey?> FindKeyByHashAsync(string keyHash, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(transaction, $"SELECT {KeyColumns} FROM api_keys WHERE key_hash = $key_hash", ("$key_hash", keyHash));
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadKey(reader) : null;
            },
            cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string organizationId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ApiKey>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {KeyColumns} FROM api_keys
                    WHERE organization_id = $organization_id AND revoked_at IS NULL
                    ORDER BY created_at, id
                    """,
                    ("$organization_id", organizationId));
                var keys = new List<ApiKey>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    keys.Add(ReadKey(reader));
                }

                return keys;
            },
            cancellationToken);

    public Task<bool> RevokeKeyAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                using var command = Command(
                    transaction,
                    """
                    UPDATE api_keys SET revoked_at = $revoked_at
                    WHERE id = $id AND organization_id = $organization_id AND revoked_at IS NULL
                    """,
                    ("$id", keyId),
                    ("$organization_id", organizationId),
                    ("$revoked_at", SqliteValues.Time(revokedAt)));
                return command.ExecuteNonQuery() == 1;
            },
            cancellationToken);

    private static void InsertKey(SqliteTransaction transaction, ApiKey key)
    {
        using var insert = Command(
            transaction,
            $"INSERT INTO api_keys ({KeyColumns}) VALUES ($id, $organization_id, $name, $key_hash, $scopes, $created_at, $revoked_at)",
            ("$id", key.Id),
            ("$organization_id", key.OrganizationId),
            ("$name", key.Name),
            ("$key_hash", key.KeyHash),
            ("$scopes", SqliteValues.Json(key.Scopes)),
            ("$created_at", SqliteValues.Time(key.CreatedAt)),
            ("$revoked_at", SqliteValues.Time(key.RevokedAt)));
        insert.ExecuteNonQuery();
    }

    private static ApiKey ReadKey(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetJson<List<string>>(4),
        reader.GetTime(5),
        reader.GetNullableTime(6));
}
