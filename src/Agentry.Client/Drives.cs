using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Client;

/// <summary>A drive: a named set of files that agents can search and read (API.md, Drives).</summary>
public sealed record Drive
{
    /// <summary>The drive's id (<c>drv_…</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>The drive's name.</summary>
    public string Name { get; init; } = "";

    /// <summary>When the drive was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A file in a drive, with its indexing status.</summary>
public sealed record DriveItem
{
    /// <summary>Always <c>file</c>.</summary>
    public string Kind { get; init; } = "";

    /// <summary>The item's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The drive's id.</summary>
    public string DriveId { get; init; } = "";

    /// <summary>The file's name (the last segment of <see cref="Path"/>).</summary>
    public string Name { get; init; } = "";

    /// <summary>Where the file sits in the drive, such as <c>/guides/setup.md</c>; unique within the drive.</summary>
    public string Path { get; init; } = "";

    /// <summary><c>processing</c> until indexed, then <c>ready</c> or <c>error</c>.</summary>
    public DriveItemStatus Status { get; init; }

    /// <summary>Why indexing failed; null unless <see cref="Status"/> is <see cref="DriveItemStatus.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The file's size in bytes.</summary>
    public long Size { get; init; }

    /// <summary>The file's content type, as sent or as its extension implies.</summary>
    public string ContentType { get; init; } = "";

    /// <summary>The title found in the file; null until indexed or when none.</summary>
    public string? Title { get; init; }

    /// <summary>The description given at upload; null when none.</summary>
    public string? Description { get; init; }

    /// <summary>A short summary of the file's text; null until indexed.</summary>
    public string? Summary { get; init; }

    /// <summary>The metadata object given at upload (empty when none).</summary>
    public JsonElement Metadata { get; init; }

    /// <summary>When the item was first uploaded.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its content last changed.</summary>
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Whether indexing has ended (<see cref="DriveItemStatus.Ready"/> or <see cref="DriveItemStatus.Error"/>).</summary>
    [JsonIgnore]
    public bool IsIndexed => Status is DriveItemStatus.Ready or DriveItemStatus.Error;
}

/// <summary>A drive item's indexing status.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriveItemStatus>))]
public enum DriveItemStatus
{
    /// <summary>Uploaded; its text is being extracted and indexed.</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,

    /// <summary>Indexed: searchable and readable by agents.</summary>
    [JsonStringEnumMemberName("ready")]
    Ready,

    /// <summary>Could not be indexed; <see cref="DriveItem.Error"/> says why.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>The optional fields of an upload (<see cref="AgentryClient.UploadDriveItemAsync"/>).</summary>
public sealed record DriveUploadOptions
{
    /// <summary>Where the file goes, starting with <c>/</c>, such as <c>/guides/setup.md</c>; <c>/&lt;file name&gt;</c> when null. The same path again replaces the file.</summary>
    public string? Path { get; init; }

    /// <summary>What the file is; none when null.</summary>
    public string? Description { get; init; }

    /// <summary>A JSON object kept with the file; none when null.</summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>The file's content type; when null the server goes by the file name's extension.</summary>
    public string? ContentType { get; init; }

    /// <summary>Told how many bytes of the file have been sent so far, as the upload proceeds; none when null.</summary>
    public IProgress<long>? Progress { get; init; }
}

/// <summary>The answer of a drive search: the query as given and one hit per file, best first.</summary>
public sealed record DriveSearchResult
{
    /// <summary>The query as given.</summary>
    public string Query { get; init; } = "";

    /// <summary>The hits, best first.</summary>
    public IReadOnlyList<DriveSearchHit> Items { get; init; } = [];
}

/// <summary>A file that matches a search, with its best passage.</summary>
public sealed record DriveSearchHit
{
    /// <summary>The item's id.</summary>
    public string ItemId { get; init; } = "";

    /// <summary>The drive's id.</summary>
    public string DriveId { get; init; } = "";

    /// <summary>The file's path.</summary>
    public string Path { get; init; } = "";

    /// <summary>The file's title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The headings the passage sits under; empty when none.</summary>
    public string Heading { get; init; } = "";

    /// <summary>The best passage.</summary>
    public string Snippet { get; init; } = "";

    /// <summary>The relevance (higher is better; comparable within one search only).</summary>
    public double Score { get; init; }
}
