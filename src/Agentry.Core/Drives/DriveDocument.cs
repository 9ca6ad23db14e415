namespace Agentry.Core.Drives;

/// <summary>A file's text as extracted for indexing: its title and its sections in reading order.</summary>
/// <param name="Title">The document's own title; null when it has none.</param>
/// <param name="Sections">The text under each heading, in order.</param>
/// <param name="Summary">A summary the extractor knows better than sentences would (a table's shape); null to take the first sentences.</param>
public sealed record DriveDocument(string? Title, IReadOnlyList<DriveSection> Sections, string? Summary = null);

/// <summary>The text under one heading.</summary>
/// <param name="Headings">The heading and the headings above it, outermost first; empty before the first heading.</param>
/// <param name="Text">Paragraphs separated by blank lines.</param>
public sealed record DriveSection(IReadOnlyList<string> Headings, string Text);

/// <summary>A file that cannot be indexed; the message says why and becomes the item's <c>error</c>.</summary>
public sealed class DriveExtractionException : Exception
{
    public DriveExtractionException()
    {
    }

    public DriveExtractionException(string message)
        : base(message)
    {
    }

    public DriveExtractionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
