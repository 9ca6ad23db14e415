namespace Agentry.Core.Tools.Browse;

/// <summary>A fetched response body: where it finally came from (after redirects), its media type and charset.</summary>
public sealed record WebPage(Uri Url, string? MediaType, string? Charset, byte[] Body);

/// <summary>What a page says, as text: its title, readable text and a short excerpt for its source entry.</summary>
public sealed record ExtractedPage(string? Title, string Text, string? Snippet, string Kind);

/// <summary>The answer of <c>browseWebsite</c>.</summary>
/// <param name="Url">The page's final URL, after redirects.</param>
/// <param name="Title">The page's title, when it has one.</param>
/// <param name="ContentKind"><c>html</c>, <c>text</c>, <c>json</c> or <c>pdf</c>.</param>
/// <param name="Citation">The number to cite the page by in a document result (<c>[1]</c>, <c>[2]</c>, …).</param>
/// <param name="Truncated">Whether the text was cut to the configured length (the text then says so at its end).</param>
/// <param name="Text">The page's readable text.</param>
public sealed record BrowseResult(string Url, string? Title, string ContentKind, int Citation, bool Truncated, string Text);
