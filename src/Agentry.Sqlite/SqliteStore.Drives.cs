using Agentry.Core.Common;
using Agentry.Core.Drives;
using Agentry.Core.Storage;
using Microsoft.Data.Sqlite;

namespace Agentry.Sqlite;

// Drives, their items and the FTS5 index of the items' text (migration "Drives" in SqliteSchema).
public sealed partial class SqliteStore : IDriveStore
{
    private const string ItemColumns =
        "id, organization_id, drive_id, path, name, status, error, size, content_type, description, title, summary, metadata, blob, created_at, modified_at";

    public Task CreateDriveAsync(Drive drive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drive);
        return WriteAsync(
            transaction =>
            {
                using var insert = Command(
                    transaction,
                    "INSERT INTO drives (id, organization_id, name, created_at) VALUES ($id, $organization_id, $name, $created_at)",
                    ("$id", drive.Id),
                    ("$organization_id", drive.OrganizationId),
                    ("$name", drive.Name),
                    ("$created_at", SqliteValues.Time(drive.CreatedAt)));
                return insert.ExecuteNonQuery();
            },
            cancellationToken);
    }

    public Task<Drive?> GetDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    "SELECT id, organization_id, name, created_at FROM drives WHERE id = $id AND organization_id = $organization_id",
                    ("$id", driveId),
                    ("$organization_id", organizationId));
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadDrive(reader) : null;
            },
            cancellationToken);

    public Task<Page<Drive>> ListDrivesAsync(string organizationId, PageRequest page, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                long total;
                using (var count = Command(transaction, "SELECT COUNT(*) FROM drives WHERE organization_id = $organization_id", ("$organization_id", organizationId)))
                {
                    total = (long)count.ExecuteScalar()!;
                }

                using var command = Command(
                    transaction,
                    """
                    SELECT id, organization_id, name, created_at FROM drives
                    WHERE organization_id = $organization_id
                    ORDER BY id DESC LIMIT $limit OFFSET $offset
                    """,
                    ("$organization_id", organizationId),
                    ("$limit", page.Limit),
                    ("$offset", page.Offset));
                var drives = new List<Drive>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    drives.Add(ReadDrive(reader));
                }

                return new Page<Drive>(drives, total, page.Limit, page.Offset);
            },
            cancellationToken);

    public Task<IReadOnlySet<string>> FindDrivesAsync(string organizationId, IReadOnlyCollection<string> driveIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driveIds);
        return ReadAsync<IReadOnlySet<string>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    "SELECT id FROM drives WHERE organization_id = $organization_id AND id IN (SELECT value FROM json_each($ids))",
                    ("$organization_id", organizationId),
                    ("$ids", SqliteValues.Json(driveIds)));
                var found = new HashSet<string>(StringComparer.Ordinal);
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    found.Add(reader.GetString(0));
                }

                return found;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<string>?> DeleteDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<string>?>(
            transaction =>
            {
                using (var exists = Command(
                           transaction,
                           "SELECT 1 FROM drives WHERE id = $id AND organization_id = $organization_id",
                           ("$id", driveId),
                           ("$organization_id", organizationId)))
                {
                    if (exists.ExecuteScalar() is null)
                    {
                        return null;
                    }
                }

                var blobs = new List<string>();
                using (var select = Command(transaction, "SELECT blob FROM drive_items WHERE drive_id = $id", ("$id", driveId)))
                using (var reader = select.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        blobs.Add(reader.GetString(0));
                    }
                }

                Execute(transaction, "DELETE FROM drive_chunks WHERE drive_id = $id", ("$id", driveId));
                Execute(transaction, "DELETE FROM drive_items WHERE drive_id = $id", ("$id", driveId));
                Execute(transaction, "DELETE FROM drives WHERE id = $id", ("$id", driveId));
                return blobs;
            },
            cancellationToken);

    public Task<(DriveItem Item, string? ReplacedBlob)> PutItemAsync(DriveItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        return WriteAsync(
            transaction =>
            {
                string? existingId = null;
                DateTimeOffset createdAt = default;
                string? replacedBlob = null;
                using (var select = Command(
                           transaction,
                           "SELECT id, created_at, blob FROM drive_items WHERE drive_id = $drive_id AND path = $path",
                           ("$drive_id", item.DriveId),
                           ("$path", item.Path)))
                using (var reader = select.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        (existingId, createdAt, replacedBlob) = (reader.GetString(0), reader.GetTime(1), reader.GetString(2));
                    }
                }

                var stored = existingId is null ? item : item with { Id = existingId, CreatedAt = createdAt };
                if (existingId is not null)
                {
                    Execute(transaction, "DELETE FROM drive_chunks WHERE item_id = $id", ("$id", existingId));
                    Execute(transaction, "DELETE FROM drive_items WHERE id = $id", ("$id", existingId));
                }

                using (var insert = Command(
                           transaction,
                           $"""
                           INSERT INTO drive_items ({ItemColumns})
                           VALUES ($id, $organization_id, $drive_id, $path, $name, $status, $error, $size, $content_type, $description,
                                   $title, $summary, $metadata, $blob, $created_at, $modified_at)
                           """,
                           ("$id", stored.Id),
                           ("$organization_id", stored.OrganizationId),
                           ("$drive_id", stored.DriveId),
                           ("$path", stored.Path),
                           ("$name", stored.Name),
                           ("$status", StatusName(stored.Status)),
                           ("$error", stored.Error),
                           ("$size", stored.Size),
                           ("$content_type", stored.ContentType),
                           ("$description", stored.Description),
                           ("$title", stored.Title),
                           ("$summary", stored.Summary),
                           ("$metadata", SqliteValues.Json(stored.Metadata)),
                           ("$blob", stored.Blob),
                           ("$created_at", SqliteValues.Time(stored.CreatedAt)),
                           ("$modified_at", SqliteValues.Time(stored.ModifiedAt))))
                {
                    insert.ExecuteNonQuery();
                }

                return (stored, replacedBlob);
            },
            cancellationToken);
    }

    public Task<DriveItem?> GetItemAsync(string organizationId, string driveId, string itemId, CancellationToken cancellationToken) =>
        ReadItemAsync(
            "id = $id AND drive_id = $drive_id AND organization_id = $organization_id",
            cancellationToken,
            ("$id", itemId),
            ("$drive_id", driveId),
            ("$organization_id", organizationId));

    public Task<DriveItem?> FindItemAsync(string organizationId, IReadOnlyCollection<string> driveIds, string itemId, CancellationToken cancellationToken) =>
        ReadItemAsync(
            "id = $id AND organization_id = $organization_id AND drive_id IN (SELECT value FROM json_each($drive_ids))",
            cancellationToken,
            ("$id", itemId),
            ("$organization_id", organizationId),
            ("$drive_ids", SqliteValues.Json(driveIds)));

    public Task<DriveItem?> FindItemByPathAsync(string organizationId, IReadOnlyList<string> driveIds, string path, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                // The drives' order is the agent's: the first drive that has the path wins.
                using var command = Command(
                    transaction,
                    $"""
                    SELECT {ItemColumns} FROM drive_items
                    WHERE organization_id = $organization_id AND path = $path
                      AND drive_id IN (SELECT value FROM json_each($drive_ids))
                    ORDER BY (SELECT MIN(key) FROM json_each($drive_ids) WHERE value = drive_items.drive_id) LIMIT 1
                    """,
                    ("$drive_ids", SqliteValues.Json(driveIds)),
                    ("$organization_id", organizationId),
                    ("$path", path));
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadItem(reader) : null;
            },
            cancellationToken);

    public Task<Page<DriveItem>> ListItemsAsync(string organizationId, string driveId, PageRequest page, CancellationToken cancellationToken) =>
        ReadAsync(
            (_, transaction) =>
            {
                long total;
                using (var count = Command(
                           transaction,
                           "SELECT COUNT(*) FROM drive_items WHERE drive_id = $drive_id AND organization_id = $organization_id",
                           ("$drive_id", driveId),
                           ("$organization_id", organizationId)))
                {
                    total = (long)count.ExecuteScalar()!;
                }

                using var command = Command(
                    transaction,
                    $"""
                    SELECT {ItemColumns} FROM drive_items
                    WHERE drive_id = $drive_id AND organization_id = $organization_id
                    ORDER BY path LIMIT $limit OFFSET $offset
                    """,
                    ("$drive_id", driveId),
                    ("$organization_id", organizationId),
                    ("$limit", page.Limit),
                    ("$offset", page.Offset));
                var items = new List<DriveItem>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    items.Add(ReadItem(reader));
                }

                return new Page<DriveItem>(items, total, page.Limit, page.Offset);
            },
            cancellationToken);

    public Task<string?> DeleteItemAsync(string organizationId, string driveId, string itemId, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction =>
            {
                string? blob;
                using (var select = Command(
                           transaction,
                           "SELECT blob FROM drive_items WHERE id = $id AND drive_id = $drive_id AND organization_id = $organization_id",
                           ("$id", itemId),
                           ("$drive_id", driveId),
                           ("$organization_id", organizationId)))
                {
                    blob = select.ExecuteScalar() as string;
                }

                if (blob is not null)
                {
                    Execute(transaction, "DELETE FROM drive_chunks WHERE item_id = $id", ("$id", itemId));
                    Execute(transaction, "DELETE FROM drive_items WHERE id = $id", ("$id", itemId));
                }

                return blob;
            },
            cancellationToken);

    public Task<IReadOnlyList<string>> ListProcessingItemIdsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(
            (_, transaction) =>
            {
                using var command = Command(transaction, "SELECT id FROM drive_items WHERE status = 'processing' ORDER BY id");
                var ids = new List<string>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }

                return ids;
            },
            cancellationToken);

    public Task<DriveItem?> GetItemForIndexingAsync(string itemId, CancellationToken cancellationToken) =>
        ReadItemAsync("id = $id", cancellationToken, ("$id", itemId));

    public Task<bool> CompleteIndexingAsync(
        string itemId, string blob, string? title, string? summary, IReadOnlyList<DriveChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return WriteAsync(
            transaction =>
            {
                string driveId, organizationId;
                using (var select = Command(
                           transaction,
                           "SELECT drive_id, organization_id FROM drive_items WHERE id = $id AND blob = $blob AND status = 'processing'",
                           ("$id", itemId),
                           ("$blob", blob)))
                using (var reader = select.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    (driveId, organizationId) = (reader.GetString(0), reader.GetString(1));
                }

                using (var insert = Command(
                           transaction,
                           """
                           INSERT INTO drive_chunks (item_id, drive_id, organization_id, ordinal, heading, body)
                           VALUES ($item_id, $drive_id, $organization_id, $ordinal, $heading, $body)
                           """,
                           ("$item_id", itemId),
                           ("$drive_id", driveId),
                           ("$organization_id", organizationId),
                           ("$ordinal", 0),
                           ("$heading", string.Empty),
                           ("$body", string.Empty)))
                {
                    foreach (var chunk in chunks)
                    {
                        insert.Parameters["$ordinal"].Value = chunk.Ordinal;
                        insert.Parameters["$heading"].Value = chunk.Heading;
                        insert.Parameters["$body"].Value = chunk.Body;
                        insert.ExecuteNonQuery();
                    }
                }

                Execute(
                    transaction,
                    "UPDATE drive_items SET status = 'ready', error = NULL, title = $title, summary = $summary WHERE id = $id",
                    ("$id", itemId),
                    ("$title", title),
                    ("$summary", summary));
                return true;
            },
            cancellationToken);
    }

    public Task<bool> FailIndexingAsync(string itemId, string blob, string reason, CancellationToken cancellationToken) =>
        WriteAsync(
            transaction => Execute(
                transaction,
                "UPDATE drive_items SET status = 'error', error = $error WHERE id = $id AND blob = $blob AND status = 'processing'",
                ("$id", itemId),
                ("$blob", blob),
                ("$error", reason)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<DriveSearchHit>> SearchAsync(
        string organizationId, IReadOnlyCollection<string> driveIds, string matchQuery, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driveIds);
        return ReadAsync<IReadOnlyList<DriveSearchHit>>(
            (_, transaction) =>
            {
                // Every matching chunk is ranked (bm25, headings weighing twice the body); each item keeps its best chunk.
                using var command = Command(
                    transaction,
                    """
                    WITH matches AS (
                        SELECT c.item_id, c.drive_id, c.ordinal, c.heading,
                               snippet(drive_chunks_fts, 1, '**', '**', '…', 24) AS snippet,
                               bm25(drive_chunks_fts, 2.0, 1.0) AS rank
                        FROM drive_chunks_fts
                        JOIN drive_chunks AS c ON c.id = drive_chunks_fts.rowid
                        WHERE drive_chunks_fts MATCH $query
                          AND c.organization_id = $organization_id
                          AND c.drive_id IN (SELECT value FROM json_each($drive_ids))
                    ),
                    best AS (
                        SELECT *, ROW_NUMBER() OVER (PARTITION BY item_id ORDER BY rank, ordinal) AS n FROM matches
                    )
                    SELECT best.item_id, best.drive_id, i.path, COALESCE(i.title, i.name), best.heading, best.snippet, best.rank
                    FROM best JOIN drive_items AS i ON i.id = best.item_id
                    WHERE best.n = 1 AND i.status = 'ready'
                    ORDER BY best.rank, i.path, best.item_id
                    LIMIT $limit
                    """,
                    ("$query", matchQuery),
                    ("$organization_id", organizationId),
                    ("$drive_ids", SqliteValues.Json(driveIds)),
                    ("$limit", limit));
                var hits = new List<DriveSearchHit>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    hits.Add(new DriveSearchHit(
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), -reader.GetDouble(6)));
                }

                return hits;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<DriveChunk>> GetChunksAsync(string organizationId, string itemId, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<DriveChunk>>(
            (_, transaction) =>
            {
                using var command = Command(
                    transaction,
                    "SELECT ordinal, heading, body FROM drive_chunks WHERE item_id = $item_id AND organization_id = $organization_id ORDER BY ordinal",
                    ("$item_id", itemId),
                    ("$organization_id", organizationId));
                var chunks = new List<DriveChunk>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    chunks.Add(new DriveChunk(reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
                }

                return chunks;
            },
            cancellationToken);

    private Task<DriveItem?> ReadItemAsync(string where, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        ReadAsync(
            (_, transaction) =>
            {
                using var command = Command(transaction, $"SELECT {ItemColumns} FROM drive_items WHERE {where}", parameters);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadItem(reader) : null;
            },
            cancellationToken);

    private static int Execute(SqliteTransaction transaction, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static Drive ReadDrive(SqliteDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetTime(3));

    private static DriveItem ReadItem(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        OrganizationId = reader.GetString(1),
        DriveId = reader.GetString(2),
        Path = reader.GetString(3),
        Name = reader.GetString(4),
        Status = reader.GetString(5) switch
        {
            "processing" => DriveItemStatus.Processing,
            "ready" => DriveItemStatus.Ready,
            "error" => DriveItemStatus.Error,
            var other => throw new InvalidDataException($"Unknown drive item status '{other}' in the database."),
        },
        Error = reader.GetNullableString(6),
        Size = reader.GetInt64(7),
        ContentType = reader.GetString(8),
        Description = reader.GetNullableString(9),
        Title = reader.GetNullableString(10),
        Summary = reader.GetNullableString(11),
        Metadata = reader.GetJson(12),
        Blob = reader.GetString(13),
        CreatedAt = reader.GetTime(14),
        ModifiedAt = reader.GetTime(15),
    };

    private static string StatusName(DriveItemStatus status) => status switch
    {
        DriveItemStatus.Processing => "processing",
        DriveItemStatus.Ready => "ready",
        _ => "error",
    };
}
