using System.Text;
using Agentry.Core.Common;
using Agentry.Core.Drives;
using Agentry.Core.Organizations;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Agentry.Server.Endpoints;

/// <summary>
/// Drives and their files (API.md, Drives). Reading needs <c>runs:read</c>, changing <c>agents:write</c> (drives are
/// part of what agents are configured with). Uploads are <c>multipart/form-data</c> streamed to disk part by part.
/// </summary>
public static class DriveEndpoints
{
    /// <summary>Room for the multipart framing and the form's small fields on top of the file-size limit.</summary>
    private const long FormOverheadBytes = 1024 * 1024;

    /// <summary>The longest value a form field other than the file may have.</summary>
    private const int MaxFieldBytes = 64 * 1024;

    public static RouteGroupBuilder MapDriveEndpoints(this IEndpointRouteBuilder api)
    {
        var drives = api.MapGroup("/drives").WithTags("Drives");

        drives.MapPost(string.Empty, CreateDrive)
            .WithName("CreateDrive").WithSummary("Create a drive: a named set of files that agents can search and read")
            .AcceptsJson<CreateDriveRequest>(ApiExamples.CreateDrive, "The drive's name (at most 200 characters).")
            .ProducesProblems(422, "The name is missing or longer than 200 characters.")
            .RequireAuthorization(ApiScopes.AgentsWrite);
        drives.MapGet(string.Empty, ListDrives)
            .WithName("ListDrives").WithSummary("The organization's drives, newest first")
            .RequireAuthorization(ApiScopes.RunsRead);
        drives.MapGet("/{driveId}", GetDrive)
            .WithName("GetDrive").WithSummary("One drive")
            .RequireAuthorization(ApiScopes.RunsRead);
        drives.MapDelete("/{driveId}", DeleteDrive)
            .WithName("DeleteDrive").WithSummary("Delete a drive with its files; agents that name it search their other drives")
            .RequireAuthorization(ApiScopes.AgentsWrite);
        drives.MapPost("/{driveId}/items", UploadItem)
            .WithName("UploadDriveItem").WithSummary("Upload a file; the same path again replaces it, and it is indexed in the background")
            .AcceptsForm<DriveUploadForm>(
                "`file` (up to `Agentry:Drives:MaxUploadBytes`, 100 MiB by default), `path` (starts with `/`, no `..`; the file's name when absent), " +
                "and optionally `description` and `metadata` (a JSON object).")
            .ProducesProblems(422, "`path` is not a valid file path, or `description` or `metadata` is invalid.")
            .RequireAuthorization(ApiScopes.AgentsWrite);
        drives.MapGet("/{driveId}/items", ListItems)
            .WithName("ListDriveItems").WithSummary("The drive's files, by path")
            .RequireAuthorization(ApiScopes.RunsRead);
        drives.MapGet("/{driveId}/items/{itemId}", GetItem)
            .WithName("GetDriveItem").WithSummary("One file, with its indexing status")
            .RequireAuthorization(ApiScopes.RunsRead);
        drives.MapDelete("/{driveId}/items/{itemId}", DeleteItem)
            .WithName("DeleteDriveItem").WithSummary("Delete a file; it leaves search at once")
            .RequireAuthorization(ApiScopes.AgentsWrite);
        drives.MapGet("/{driveId}/search", Search)
            .WithName("SearchDrive").WithSummary("Full-text search of the drive's ready files, one hit per file, best first")
            .WithParameters(ApiParameters.DriveSearchQuery)
            .RequireAuthorization(ApiScopes.RunsRead);

        return drives;
    }

    public static async Task<Created<DriveResponse>> CreateDrive(HttpRequest request, Caller caller, DriveService drives, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateDriveRequest>(request, cancellationToken);
        var drive = await drives.CreateDriveAsync(caller.OrganizationId, body, cancellationToken);
        return TypedResults.Created($"/v1/drives/{drive.Id}", drive);
    }

    public static async Task<Ok<Page<DriveResponse>>> ListDrives(string? limit, string? offset, Caller caller, DriveService drives, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drives.ListDrivesAsync(caller.OrganizationId, ListQuery.Parse(limit, offset), cancellationToken));

    public static async Task<Ok<DriveResponse>> GetDrive(string driveId, Caller caller, DriveService drives, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drives.GetDriveAsync(caller.OrganizationId, driveId, cancellationToken));

    public static async Task<NoContent> DeleteDrive(string driveId, Caller caller, DriveService drives, CancellationToken cancellationToken)
    {
        await drives.DeleteDriveAsync(caller.OrganizationId, driveId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Created<DriveItemResponse>> UploadItem(
        string driveId, HttpRequest request, Caller caller, DriveService drives, DriveFileStore files, CancellationToken cancellationToken)
    {
        // An unknown drive answers 404 before a byte of the body is read.
        await drives.GetDriveAsync(caller.OrganizationId, driveId, cancellationToken);
        var boundary = Boundary(request);
        var limit = drives.MaxUploadBytes;
        if (request.ContentLength > limit + FormOverheadBytes)
        {
            throw TooLarge(limit);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            // The server's default cap (30 MB in Kestrel) is below the upload limit; the file's own size is counted below.
            bodySize.MaxRequestBodySize = limit + FormOverheadBytes;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        (string Blob, long Size, string? FileName, string? ContentType)? file = null;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                if (name == "file")
                {
                    if (file is not null)
                    {
                        throw ProblemException.BadRequest("An upload carries one file; the form has more than one 'file' part.", [new FieldError("file", "maxItems", "one file per upload")]);
                    }

                    var (blob, size) = await files.SaveAsync(driveId, section.Body, limit, cancellationToken);
                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    file = (blob, size, fileName, section.ContentType);
                }
                else if (name is "path" or "description" or "metadata")
                {
                    fields[name] = await ReadFieldAsync(name, section.Body, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            DeleteSaved(files, file?.Blob);
            throw ProblemException.BadRequest($"The multipart body is malformed: {exception.Message}");
        }
        catch
        {
            DeleteSaved(files, file?.Blob);
            throw;
        }

        if (file is not { } saved)
        {
            throw ProblemException.BadRequest(
                "The form has no 'file' part: send the file as multipart/form-data, e.g. curl -F path=/notes.md -F file=@notes.md.",
                [new FieldError("file", "required", "file is required")]);
        }

        var upload = new DriveUpload(
            fields.GetValueOrDefault("path"), saved.FileName, saved.ContentType, fields.GetValueOrDefault("description"), fields.GetValueOrDefault("metadata"), saved.Blob, saved.Size);
        var item = await drives.AddItemAsync(caller.OrganizationId, driveId, upload, cancellationToken);
        return TypedResults.Created($"/v1/drives/{driveId}/items/{item.Id}", item);
    }

    public static async Task<Ok<Page<DriveItemResponse>>> ListItems(string driveId, string? limit, string? offset, Caller caller, DriveService drives, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drives.ListItemsAsync(caller.OrganizationId, driveId, ListQuery.Parse(limit, offset), cancellationToken));

    public static async Task<Ok<DriveItemResponse>> GetItem(string driveId, string itemId, Caller caller, DriveService drives, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drives.GetItemAsync(caller.OrganizationId, driveId, itemId, cancellationToken));

    public static async Task<NoContent> DeleteItem(string driveId, string itemId, Caller caller, DriveService drives, CancellationToken cancellationToken)
    {
        await drives.DeleteItemAsync(caller.OrganizationId, driveId, itemId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<DriveSearchResponse>> Search(string driveId, string? q, string? limit, Caller caller, DriveService drives, CancellationToken cancellationToken) =>
        TypedResults.Ok(await drives.SearchDriveAsync(caller.OrganizationId, driveId, q, ListQuery.Parse(limit, null).Limit, cancellationToken));

    private static string Boundary(HttpRequest request)
    {
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            && HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is { Length: > 0 } boundary)
        {
            return boundary;
        }

        var given = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
        throw new ProblemException(415, ProblemCodes.UnsupportedMediaType, $"An upload must be multipart/form-data with a boundary, not {given}.");
    }

    private static async Task<string> ReadFieldAsync(string name, Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxFieldBytes)
            {
                throw ProblemException.BadRequest($"The form field '{name}' is longer than {MaxFieldBytes} bytes.", [new FieldError(name, "maxLength", $"at most {MaxFieldBytes} bytes")]);
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void DeleteSaved(DriveFileStore files, string? blob)
    {
        if (blob is not null)
        {
            files.Delete(blob);
        }
    }

    private static ProblemException TooLarge(long limit) =>
        new(413, ProblemCodes.PayloadTooLarge, $"The upload is larger than the limit of {limit} bytes for a file.");
}

/// <summary>The fields of a drive upload (<c>multipart/form-data</c>), for the API document; the endpoint streams them itself.</summary>
/// <param name="File">The file.</param>
/// <param name="Path">Where the file goes in the drive, e.g. <c>/guides/setup.md</c>; the file's name under <c>/</c> when absent.</param>
/// <param name="Description">What the file is, kept as given.</param>
/// <param name="Metadata">A JSON object kept with the file.</param>
public sealed record DriveUploadForm(IFormFile File, string? Path, string? Description, string? Metadata);
