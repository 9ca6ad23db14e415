using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using SmartReader;
using UglyToad.PdfPig;

namespace Agentry.Core.Tools.Browse;

/// <summary>
/// Turns a fetched body into readable text: HTML through SmartReader's readability (the page's own body text when it
/// finds no article), plain text as it is, JSON indented, PDF page by page through PdfPig.
/// </summary>
public static class PageExtractor
{
    private const int SnippetChars = 200;

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    /// <summary>Extracts <paramref name="page"/>; a type it cannot read is a <see cref="ToolException"/>.</summary>
    public static ExtractedPage Extract(WebPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return KindOf(page) switch
        {
            "html" => FromHtml(page),
            "json" => FromJson(page),
            "pdf" => FromPdf(page),
            "text" => WithSnippet(null, Normalize(Decode(page)), "text"),
            _ => throw new ToolException(
                $"{page.Url} is {page.MediaType ?? "of an unknown type"}, which browseWebsite cannot read; it reads HTML, text, JSON and PDF."),
        };
    }

    private static string? KindOf(WebPage page)
    {
        var type = page.MediaType;
        if (type is "text/html" or "application/xhtml+xml")
        {
            return "html";
        }

        if (type is "application/json" or "text/json" || (type?.EndsWith("+json", StringComparison.Ordinal) ?? false))
        {
            return "json";
        }

        if (type is "application/pdf")
        {
            return "pdf";
        }

        if (type is not null && (type.StartsWith("text/", StringComparison.Ordinal) || type is "application/xml" or "application/javascript"))
        {
            return "text";
        }

        if (type is null or "application/octet-stream" or "binary/octet-stream")
        {
            // Servers that do not say what they send: recognise PDFs and HTML by their first bytes, text by the absence of NULs.
            var head = page.Body.AsSpan(0, Math.Min(page.Body.Length, 512));
            if (head.StartsWith("%PDF-"u8))
            {
                return "pdf";
            }

            var start = Encoding.UTF8.GetString(head).TrimStart().ToLowerInvariant();
            if (start.StartsWith("<!doctype html", StringComparison.Ordinal) || start.StartsWith("<html", StringComparison.Ordinal))
            {
                return "html";
            }

            return head.Contains((byte)0) ? null : "text";
        }

        return null;
    }

    private static ExtractedPage FromHtml(WebPage page)
    {
        var html = Decode(page);
        try
        {
            using var reader = new Reader(page.Url.AbsoluteUri, html);
            var article = reader.GetArticle();
            if (article.IsReadable && !string.IsNullOrWhiteSpace(article.TextContent))
            {
                var title = string.IsNullOrWhiteSpace(article.Title) ? null : article.Title.Trim();
                var excerpt = string.IsNullOrWhiteSpace(article.Excerpt) ? null : Cut(Normalize(article.Excerpt), SnippetChars);
                var text = Normalize(article.TextContent);
                return new ExtractedPage(title, text, excerpt ?? Cut(text, SnippetChars), "html");
            }
        }
#pragma warning disable CA1031 // Readability is a heuristic over arbitrary markup; whatever it throws, the body text below still serves.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var document = new HtmlParser().ParseDocument(html);
        foreach (var element in document.QuerySelectorAll("script, style, noscript, template, svg").ToList())
        {
            element.Remove();
        }

        var fallbackTitle = string.IsNullOrWhiteSpace(document.Title) ? null : document.Title.Trim();
        return WithSnippet(fallbackTitle, Normalize(document.Body?.TextContent ?? document.DocumentElement.TextContent), "html");
    }

    private static ExtractedPage FromJson(WebPage page)
    {
        var raw = Decode(page);
        try
        {
            using var document = JsonDocument.Parse(raw);
            var pretty = JsonSerializer.Serialize(document.RootElement, IndentedJson);
            return WithSnippet(null, pretty, "json");
        }
        catch (JsonException)
        {
            // Labelled JSON but not JSON: the text is still worth reading.
            return WithSnippet(null, Normalize(raw), "text");
        }
    }

    private static ExtractedPage FromPdf(WebPage page)
    {
        try
        {
            using var document = PdfDocument.Open(page.Body);
            var text = new StringBuilder();
            foreach (var pdfPage in document.GetPages())
            {
                var words = pdfPage.GetWords().Select(word => word.Text);
                text.AppendJoin(' ', words).Append("\n\n");
            }

            var title = string.IsNullOrWhiteSpace(document.Information.Title) ? null : document.Information.Title.Trim();
            return WithSnippet(title, Normalize(text.ToString()), "pdf");
        }
#pragma warning disable CA1031 // PdfPig throws many types for damaged files; to the model they all mean the same thing.
        catch (Exception exception) when (exception is not ToolException)
#pragma warning restore CA1031
        {
            throw new ToolException($"{page.Url} is a PDF that could not be read: {exception.Message}", exception);
        }
    }

    private static ExtractedPage WithSnippet(string? title, string text, string kind) =>
        new(title, text, text.Length == 0 ? null : Cut(text, SnippetChars), kind);

    private static string Decode(WebPage page)
    {
        var encoding = Encoding.UTF8;
        if (page.Charset is { } charset)
        {
            try
            {
                encoding = Encoding.GetEncoding(charset.Trim('"', '\''));
            }
            catch (ArgumentException)
            {
                // An unknown charset (or one this runtime lacks, e.g. windows-1252): UTF-8 reads most pages well enough.
            }
        }

        return encoding.GetString(page.Body);
    }

    /// <summary>One space between words, no blank-line runs longer than one, no leading or trailing space on lines.</summary>
    private static string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        var blankLines = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = string.Join(' ', rawLine.Split((char[])[' ', '\t', '\r', '\u00a0'], StringSplitOptions.RemoveEmptyEntries));
            if (line.Length == 0)
            {
                blankLines++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blankLines > 0 ? "\n\n" : "\n");
            }

            result.Append(line);
            blankLines = 0;
        }

        return result.ToString();
    }

    private static string Cut(string text, int maxChars)
    {
        var flat = text.ReplaceLineEndings(" ");
        if (flat.Length <= maxChars)
        {
            return flat;
        }

        var end = flat.LastIndexOf(' ', maxChars);
        return $"{flat[..(end > maxChars / 2 ? end : maxChars)]}…";
    }
}
