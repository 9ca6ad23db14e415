using System.Text.Json;
using Agentry.Core.Common;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Drives;

/// <summary>
/// Drives and their files (API.md, Drives), and the search and read behind the agents' drive tools. Every call is
/// scoped to the caller's organization, so another organization's drives and items answer 404. Uploads are indexed
/// in the background by <see cref="DriveIndexer"/>; an item is <c>processing</c> until then.
/// </summary>
public sealed class DriveService(
    IDriveStore store,
    DriveFileStore files,
    DriveIndexer indexer,
    IOptions<DrivesOptions> options,
    IdGenerator ids,
    TimeProvider time,
    ILogger<DriveService> logger)
{
    /// <summary>The most characters <see cref="ReadAsync"/> answers at once.</summary>
    public const int MaxReadChars = 20_000;

    /// <summary>The characters <see cref="ReadAsync"/> answers when not told.</summary>
    public const int DefaultReadChars = 8_000;

    /// <summary>The most hits a search answers.</summary>
    public const int MaxSearchHits = 50;

    private const int MaxNameLength = 200;
    private const int MaxPathLength = 1024;
    private const int MaxDescriptionLength = 2000;

    /// <summary>The largest file an upload may carry, in bytes.</summary>
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    /// <summary>Creates a drive.</summary>
    /// <exception cref="ProblemException">422 when the name is missing or too long.</exception>
    public async Task<DriveResponse> CreateDriveAsync(string organizationId, CreateDriveRequest write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var name = write.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid(new FieldError("/name", "required", "/name is required: the drive's name."));
        }

        if (name.Length > MaxNameLength)
        {
            throw Invalid(new FieldError("/name", "maxLength", $"/name must be at most {MaxNameLength} characters."));
        }

        var drive = new Drive(ids.New(IdGenerator.Prefix.Drive), organizationId, name, Now());
        await store.CreateDriveAsync(drive, cancellationToken);
        return DriveResponse.From(drive);
    }

    /// <summary>The organization's drives, newest first.</summary>
    public async Task<Page<DriveResponse>> ListDrivesAsync(string organizationId, PageRequest page, CancellationToken cancellationToken)
    {
        var drives = await store.ListDrivesAsync(organizationId, page, cancellationToken);
        return new Page<DriveResponse>([.. drives.Items.Select(DriveResponse.From)], drives.Total, drives.Limit, drives.Offset);
    }

    /// <summary>One drive.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such drive.</exception>
    public async Task<DriveResponse> GetDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken) =>
        DriveResponse.From(await FindDriveAsync(organizationId, driveId, cancellationToken));

    /// <summary>Deletes a drive, its items, their index and their files. Agents that name it search the rest of their drives.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such drive.</exception>
    public async Task DeleteDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken)
    {
        var blobs = await store.DeleteDriveAsync(organizationId, driveId, cancellationToken) ?? throw ProblemException.NotFound($"Drive {driveId}");
        foreach (var blob in blobs)
        {
            DeleteBlob(blob);
        }

        try
        {
            files.DeleteDrive(driveId);
        }
        catch (IOException exception)
        {
            Log.BlobNotDeleted(logger, driveId, exception);
        }
    }

    /// <summary>
    /// Adds the uploaded file to the drive at its path — replacing the item already there, whose new content is then
    /// indexed again — and queues it for indexing. Validation failures delete the saved bytes, so nothing is kept half.
    /// </summary>
    /// <exception cref="ProblemException">404 for an unknown drive; 422 naming <c>path</c>, <c>description</c> or <c>metadata</c>.</exception>
    public async Task<DriveItemResponse> AddItemAsync(string organizationId, string driveId, DriveUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        DriveItem stored;
        string? replaced;
        try
        {
            await FindDriveAsync(organizationId, driveId, cancellationToken);
            var errors = new List<FieldError>();
            var path = CheckPath(upload.Path, upload.FileName, errors);
            var metadata = CheckMetadata(upload.Metadata, errors);
            var description = string.IsNullOrWhiteSpace(upload.Description) ? null : upload.Description.Trim();
            if (description is { Length: > MaxDescriptionLength })
            {
                errors.Add(new FieldError("description", "maxLength", $"The field 'description' must be at most {MaxDescriptionLength} characters."));
            }

            if (errors.Count > 0)
            {
                throw ProblemException.Unprocessable(ProblemCodes.InvalidInput, string.Join(" ", errors.Select(e => e.Message)), errors);
            }

            var itemPath = path!;
            var name = itemPath[(itemPath.LastIndexOf('/') + 1)..];
            var now = Now();
            (stored, replaced) = await store.PutItemAsync(
                new DriveItem
                {
                    Id = ids.New(IdGenerator.Prefix.DriveItem),
                    OrganizationId = organizationId,
                    DriveId = driveId,
                    Path = itemPath,
                    Name = name,
                    Status = DriveItemStatus.Processing,
                    Size = upload.Size,
                    ContentType = DriveContentTypes.Resolve(upload.ContentType, upload.FileName ?? name),
                    Description = description,
                    Metadata = metadata,
                    Blob = upload.Blob,
                    CreatedAt = now,
                    ModifiedAt = now,
                },
                cancellationToken);
        }
        catch
        {
            DeleteBlob(upload.Blob);
            throw;
        }

        if (replaced is not null)
        {
            DeleteBlob(replaced);
        }

        indexer.Enqueue(stored.Id);
        return DriveItemResponse.From(stored);
    }

    /// <summary>The drive's items, ordered by path.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such drive.</exception>
    public async Task<Page<DriveItemResponse>> ListItemsAsync(string organizationId, string driveId, PageRequest page, CancellationToken cancellationToken)
    {
        await FindDriveAsync(organizationId, driveId, cancellationToken);
        var items = await store.ListItemsAsync(organizationId, driveId, page, cancellationToken);
        return new Page<DriveItemResponse>([.. items.Items.Select(DriveItemResponse.From)], items.Total, items.Limit, items.Offset);
    }

    /// <summary>One item.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such drive or the drive no such item.</exception>
    public async Task<DriveItemResponse> GetItemAsync(string organizationId, string driveId, string itemId, CancellationToken cancellationToken)
    {
        var item = await store.GetItemAsync(organizationId, driveId, itemId, cancellationToken) ?? throw ProblemException.NotFound($"Item {itemId} of drive {driveId}");
        return DriveItemResponse.From(item);
    }

    /// <summary>Deletes an item, its index and its file; it is gone from search at once.</summary>
    /// <exception cref="ProblemException">404 when the organization has no such drive or the drive no such item.</exception>
    public async Task DeleteItemAsync(string organizationId, string driveId, string itemId, CancellationToken cancellationToken)
    {
        var blob = await store.DeleteItemAsync(organizationId, driveId, itemId, cancellationToken) ?? throw ProblemException.NotFound($"Item {itemId} of drive {driveId}");
        DeleteBlob(blob);
    }

    /// <summary>Searches one drive's ready files (the <c>GET …/search</c> endpoint).</summary>
    /// <exception cref="ProblemException">400 when the query has no words or the limit is out of range; 404 for an unknown drive.</exception>
    public async Task<DriveSearchResponse> SearchDriveAsync(string organizationId, string driveId, string? query, int limit, CancellationToken cancellationToken)
    {
        await FindDriveAsync(organizationId, driveId, cancellationToken);
        var match = DriveText.MatchQuery(query ?? string.Empty)
            ?? throw ProblemException.BadRequest("The query parameter 'q' must contain at least one word to search for.", [new FieldError("q", "required", "q must contain a word.")]);
        var hits = await store.SearchAsync(organizationId, [driveId], match, Math.Clamp(limit, 1, MaxSearchHits), cancellationToken);
        return new DriveSearchResponse(query!, [.. hits.Select(DriveSearchResultItem.From)]);
    }

    /// <summary>
    /// Searches the ready files of <paramref name="driveIds"/> (the <c>searchDrives</c> tool): any of the query's words,
    /// ranked by bm25, one hit per file.
    /// </summary>
    public async Task<IReadOnlyList<DriveSearchResultItem>> SearchAsync(
        string organizationId, IReadOnlyList<string> driveIds, string query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driveIds);
        if (DriveText.MatchQuery(query ?? string.Empty) is not { } match || driveIds.Count == 0)
        {
            return [];
        }

        var hits = await store.SearchAsync(organizationId, driveIds, match, Math.Clamp(limit, 1, MaxSearchHits), cancellationToken);
        return [.. hits.Select(DriveSearchResultItem.From)];
    }

    /// <summary>
    /// Reads a window of a ready file's text (the <c>readDriveFile</c> tool), found by id or by path in
    /// <paramref name="driveIds"/>, and records it as a source of the run.
    /// </summary>
    /// <exception cref="Tools.ToolException">The file is not found, not ready, or the arguments are out of range.</exception>
    public async Task<DriveReadResult> ReadAsync(
        string organizationId,
        IReadOnlyList<string> driveIds,
        string? itemId,
        string? path,
        int? offset,
        int? maxChars,
        RunSources sources,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(driveIds);
        ArgumentNullException.ThrowIfNull(sources);
        var start = offset ?? 0;
        var length = maxChars ?? DefaultReadChars;
        if (start < 0 || length < 1 || length > MaxReadChars)
        {
            throw new Tools.ToolException($"offset must be 0 or more and maxChars from 1 to {MaxReadChars}.");
        }

        DriveItem? item = (itemId, path) switch
        {
            ({ Length: > 0 } id, _) => await store.FindItemAsync(organizationId, driveIds, id, cancellationToken),
            (_, { Length: > 0 } p) => await store.FindItemByPathAsync(organizationId, driveIds, p.StartsWith('/') ? p : "/" + p, cancellationToken),
            _ => throw new Tools.ToolException("Give itemId (from searchDrives) or path of the file to read."),
        };
        if (item is null)
        {
            throw new Tools.ToolException($"There is no file {itemId ?? path} in this agent's drives; use searchDrives to find files.");
        }

        if (item.Status != DriveItemStatus.Ready)
        {
            throw new Tools.ToolException(item.Status == DriveItemStatus.Processing
                ? $"{item.Path} is still being indexed; try again shortly."
                : $"{item.Path} could not be indexed: {item.Error}");
        }

        var chunks = await store.GetChunksAsync(organizationId, item.Id, cancellationToken);
        var text = string.Join("\n\n", chunks.Select(c => c.Body));
        if (start > text.Length)
        {
            throw new Tools.ToolException($"offset {start} is past the end of {item.Path}, which has {text.Length} characters.");
        }

        var end = Math.Min(text.Length, start + length);
        var citation = sources.Add(new RunSource(item.SourceUrl, item.DisplayTitle, item.Summary));
        return new DriveReadResult(item.Id, item.DriveId, item.Path, item.DisplayTitle, item.SourceUrl, citation, start, text.Length, end < text.Length ? end : null, text[start..end]);
    }

    private async Task<Drive> FindDriveAsync(string organizationId, string driveId, CancellationToken cancellationToken) =>
        await store.GetDriveAsync(organizationId, driveId, cancellationToken) ?? throw ProblemException.NotFound($"Drive {driveId}");

    private static string? CheckPath(string? path, string? fileName, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(path))
        {
            if (string.IsNullOrWhiteSpace(fileName))
            {
                errors.Add(new FieldError("path", "required", "The field 'path' is required (e.g. /reports/q1.pdf) when the file part has no file name."));
                return null;
            }

            path = "/" + System.IO.Path.GetFileName(fileName.Replace('\\', '/'));
        }

        string? problem = null;
        if (!path.StartsWith('/'))
        {
            problem = "must start with '/'";
        }
        else if (path.Length > MaxPathLength)
        {
            problem = $"must be at most {MaxPathLength} characters";
        }
        else if (path.Any(c => char.IsControl(c) || c == '\\'))
        {
            problem = "must not contain control characters or '\\'";
        }
        else if (path.EndsWith('/'))
        {
            problem = "must name a file, not end with '/'";
        }
        else if (path[1..].Split('/').Any(segment => segment is "" or "." or ".."))
        {
            problem = "must not contain empty, '.' or '..' segments";
        }

        if (problem is not null)
        {
            errors.Add(new FieldError("path", "pattern", $"The field 'path' {problem}; got '{path}'."));
            return null;
        }

        return path;
    }

    private static JsonElement CheckMetadata(string? metadata, List<FieldError> errors)
    {
        if (string.IsNullOrWhiteSpace(metadata))
        {
            return AgentryJson.Parse("{}");
        }

        try
        {
            var value = AgentryJson.Parse(metadata);
            if (value.ValueKind == JsonValueKind.Object)
            {
                return value;
            }
        }
        catch (JsonException)
        {
            // Reported below, the same as JSON that is not an object.
        }

        errors.Add(new FieldError("metadata", "type", "The field 'metadata' must be a JSON object."));
        return default;
    }

    private void DeleteBlob(string blob)
    {
        try
        {
            files.Delete(blob);
        }
        catch (IOException exception)
        {
            Log.BlobNotDeleted(logger, blob, exception);
        }
    }

    private static ProblemException Invalid(FieldError error) => ProblemException.Unprocessable(ProblemCodes.InvalidInput, error.Message, [error]);

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
}
