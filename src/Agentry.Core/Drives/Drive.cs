using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agentry.Core.Drives;

/// <summary>A named set of files of one organization that agents can search and read (API.md, Drives).</summary>
public sealed record Drive(string Id, string OrganizationId, string Name, DateTimeOffset CreatedAt);

/// <summary>Where a file stands in indexing.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DriveItemStatus>))]
public enum DriveItemStatus
{
    /// <summary>Uploaded; its text is being extracted and indexed.</summary>
    [JsonStringEnumMemberName("processing")]
    Processing,

    /// <summary>Indexed: searchable and readable.</summary>
    [JsonStringEnumMemberName("ready")]
    Ready,

    /// <summary>Could not be indexed; <see cref="DriveItem.Error"/> says why.</summary>
    [JsonStringEnumMemberName("error")]
    Error,
}

/// <summary>
/// A file in a drive. A drive holds at most one item per <see cref="Path"/>; uploading to a taken path replaces the
/// item's content in place (same id) and indexes it again.
/// </summary>
public sealed record DriveItem
{
    public required string Id { get; init; }

    public required string OrganizationId { get; init; }

    public required string DriveId { get; init; }

    /// <summary>Where the file sits in the drive: starts with <c>/</c>, no empty, <c>.</c> or <c>..</c> segments.</summary>
    public required string Path { get; init; }

    /// <summary>The last segment of <see cref="Path"/>.</summary>
    public required string Name { get; init; }

    public required DriveItemStatus Status { get; init; }

    /// <summary>Why indexing failed, when <see cref="Status"/> is <see cref="DriveItemStatus.Error"/>.</summary>
    public string? Error { get; init; }

    /// <summary>The file's size in bytes.</summary>
    public required long Size { get; init; }

    public required string ContentType { get; init; }

    /// <summary>The uploader's description, if one was given.</summary>
    public string? Description { get; init; }

    /// <summary>The document's own title (PDF information, HTML title, first Markdown heading), once indexed.</summary>
    public string? Title { get; init; }

    /// <summary>A short extractive summary (the first meaningful sentences), once indexed.</summary>
    public string? Summary { get; init; }

    /// <summary>The uploader's metadata: a JSON object, empty when none was given.</summary>
    public required JsonElement Metadata { get; init; }

    /// <summary>Where the bytes are, relative to the drive file root; a new name for every upload.</summary>
    public required string Blob { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the content last changed (the latest upload).</summary>
    public required DateTimeOffset ModifiedAt { get; init; }

    /// <summary>The title to show: <see cref="Title"/>, else <see cref="Name"/>.</summary>
    [JsonIgnore]
    public string DisplayTitle => Title ?? Name;

    /// <summary>The stable address a run cites the file by: <c>drive://&lt;driveId&gt;&lt;path&gt;</c>.</summary>
    [JsonIgnore]
    public string SourceUrl => $"drive://{DriveId}{Path}";
}

/// <summary>One indexed piece of a file's text: a bounded run of paragraphs under one heading.</summary>
/// <param name="Ordinal">0-based position in the file; the text is the chunks' bodies in order, joined by blank lines.</param>
/// <param name="Heading">The headings the chunk sits under (<c>Concepts › Runs</c>); empty when none.</param>
/// <param name="Body">The chunk's text.</param>
public sealed record DriveChunk(int Ordinal, string Heading, string Body);

/// <summary>
/// One search hit: the best matching chunk of a file, its headings, the matching passage with the query's terms in
/// <c>**bold**</c>, and its relevance (higher is better: the negated bm25 rank).
/// </summary>
public sealed record DriveSearchHit(string ItemId, string DriveId, string Path, string Title, string Heading, string Snippet, double Score);
