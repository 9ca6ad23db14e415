namespace Agentry.Core.Drives;

/// <summary>The kinds of file drives index, and how an upload's content type is settled.</summary>
public static class DriveContentTypes
{
    /// <summary>The kinds, for messages.</summary>
    public const string Supported = "plain text, Markdown, HTML, PDF, JSON and CSV";

    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain",
        [".text"] = "text/plain",
        [".log"] = "text/plain",
        [".md"] = "text/markdown",
        [".markdown"] = "text/markdown",
        [".html"] = "text/html",
        [".htm"] = "text/html",
        [".xhtml"] = "application/xhtml+xml",
        [".pdf"] = "application/pdf",
        [".json"] = "application/json",
        [".csv"] = "text/csv",
    };

    /// <summary>
    /// The content type to store: the one the upload declared, unless it is missing or generic
    /// (<c>application/octet-stream</c>, which curl sends for most files), then the one the name's extension implies.
    /// </summary>
    public static string Resolve(string? declared, string name)
    {
        var mediaType = declared?.Split(';')[0].Trim().ToLowerInvariant();
        if (!string.IsNullOrEmpty(mediaType) && mediaType is not ("application/octet-stream" or "binary/octet-stream"))
        {
            return mediaType;
        }

        return ByExtension.TryGetValue(Path.GetExtension(name), out var byName) ? byName : "application/octet-stream";
    }

    /// <summary>
    /// How to read a file: the name's extension decides when it is one drives know (a <c>.md</c> sent as
    /// <c>text/plain</c> is still Markdown), then the content type; null when drives cannot read it.
    /// </summary>
    public static DriveFileKind? KindOf(string contentType, string name)
    {
        var type = ByExtension.TryGetValue(Path.GetExtension(name), out var byName) ? byName : contentType;
        return type switch
        {
            "text/markdown" or "text/x-markdown" => DriveFileKind.Markdown,
            "text/html" or "application/xhtml+xml" => DriveFileKind.Html,
            "application/pdf" => DriveFileKind.Pdf,
            "application/json" or "text/json" => DriveFileKind.Json,
            _ when type.EndsWith("+json", StringComparison.Ordinal) => DriveFileKind.Json,
            "text/csv" or "application/csv" => DriveFileKind.Csv,
            _ when type.StartsWith("text/", StringComparison.Ordinal) => DriveFileKind.Text,
            "application/octet-stream" => DriveFileKind.Unknown,
            _ => null,
        };
    }
}

/// <summary>How a drive file's text is read.</summary>
public enum DriveFileKind
{
    /// <summary>Nothing says what it is: sniffed from its first bytes.</summary>
    Unknown,
    Text,
    Markdown,
    Html,
    Pdf,
    Json,
    Csv,
}
