using System.Text.Json;

namespace Agentry.Core.Drives;

/// <summary>The body of <c>POST /v1/drives</c>.</summary>
public sealed record CreateDriveRequest(string? Name);

/// <summary>
/// An upload to a drive as the endpoint read it from the multipart form: the file already streamed into
/// <paramref name="Blob"/>, and the form's other fields as sent.
/// </summary>
/// <param name="Path">The <c>path</c> field; the file name under <c>/</c> when absent.</param>
/// <param name="FileName">The file part's file name.</param>
/// <param name="ContentType">The file part's declared content type.</param>
/// <param name="Description">The <c>description</c> field.</param>
/// <param name="Metadata">The <c>metadata</c> field: a JSON object as text.</param>
/// <param name="Blob">Where the bytes were saved (<see cref="DriveFileStore.SaveAsync"/>).</param>
/// <param name="Size">How many bytes.</param>
public sealed record DriveUpload(string? Path, string? FileName, string? ContentType, string? Description, string? Metadata, string Blob, long Size);

/// <summary>A drive as the API shows it.</summary>
public sealed record DriveResponse(string Id, string Name, DateTimeOffset CreatedAt)
{
    public static DriveResponse From(Drive drive)
    {
        ArgumentNullException.ThrowIfNull(drive);
        return new DriveResponse(drive.Id, drive.Name, drive.CreatedAt);
    }
}

/// <summary>A drive item as the API shows it (API.md, Drives), plus its drive, title, error and creation time.</summary>
public sealed record DriveItemResponse(
    string Kind,
    string Id,
    string DriveId,
    string Name,
    string Path,
    DriveItemStatus Status,
    string? Error,
    long Size,
    string ContentType,
    string? Title,
    string? Description,
    string? Summary,
    JsonElement Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset ModifiedAt)
{
    public static DriveItemResponse From(DriveItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new DriveItemResponse(
            "file", item.Id, item.DriveId, item.Name, item.Path, item.Status, item.Error, item.Size, item.ContentType,
            item.Title, item.Description, item.Summary, item.Metadata, item.CreatedAt, item.ModifiedAt);
    }
}

/// <summary>The answer of a drive search: the query as given and the hits, best first.</summary>
public sealed record DriveSearchResponse(string Query, IReadOnlyList<DriveSearchResultItem> Items);

/// <summary>
/// One file that matches a search: its best passage, the headings the passage sits under (empty when none), and a
/// relevance score (higher is better; comparable within one search only).
/// </summary>
public sealed record DriveSearchResultItem(string ItemId, string DriveId, string Path, string Title, string Heading, string Snippet, double Score)
{
    public static DriveSearchResultItem From(DriveSearchHit hit)
    {
        ArgumentNullException.ThrowIfNull(hit);
        return new DriveSearchResultItem(hit.ItemId, hit.DriveId, hit.Path, hit.Title, hit.Heading, hit.Snippet, Math.Round(hit.Score, 4));
    }
}

/// <summary>
/// What <c>readDriveFile</c> answers: a window of a file's text starting at <c>Offset</c> (characters) of
/// <c>TotalChars</c>, the offset to read on from (<c>NextOffset</c>, null at the end), and <c>Citation</c>, the number a
/// report cites the file by (its place in the run's sources).
/// </summary>
public sealed record DriveReadResult(string ItemId, string DriveId, string Path, string Title, string SourceUrl, int Citation, int Offset, int TotalChars, int? NextOffset, string Text);
