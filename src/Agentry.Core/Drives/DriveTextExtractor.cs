using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using UglyToad.PdfPig;

namespace Agentry.Core.Drives;

/// <summary>
/// Reads a drive file's text for indexing: plain text and Markdown (sections by heading), HTML (sections by
/// <c>h1</c>–<c>h6</c>, scripts and styles dropped), PDF (a section per page, through PdfPig), JSON (one
/// <c>path: value</c> line per value, a section per top-level key) and CSV (one <c>column: value; …</c> line per row).
/// A file it cannot read is a <see cref="DriveExtractionException"/> that says why.
/// </summary>
public static partial class DriveTextExtractor
{
    private const int SniffBytes = 8192;

    private static readonly char[] CsvSeparators = [',', ';', '\t'];

    /// <summary>Extracts the text of a file of <paramref name="contentType"/> named <paramref name="name"/>.</summary>
    /// <exception cref="DriveExtractionException">The file's type is not supported, or its content cannot be read as that type.</exception>
    public static async Task<DriveDocument> ExtractAsync(Stream content, string contentType, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(contentType);
        var kind = DriveContentTypes.KindOf(contentType, name)
            ?? throw new DriveExtractionException($"'{name}' is {contentType}, which drives cannot index; they index {DriveContentTypes.Supported}.");
        if (kind == DriveFileKind.Pdf)
        {
            return FromPdf(content, name);
        }

        var bytes = await ReadAllAsync(content, cancellationToken);
        if (kind == DriveFileKind.Unknown)
        {
            kind = Sniff(bytes) ?? throw new DriveExtractionException(
                $"'{name}' is binary data of an unknown type, which drives cannot index; they index {DriveContentTypes.Supported}.");
            if (kind == DriveFileKind.Pdf)
            {
                using var pdf = new MemoryStream(bytes, writable: false);
                return FromPdf(pdf, name);
            }
        }

        var text = Decode(bytes, name);
        return kind switch
        {
            DriveFileKind.Markdown => FromMarkdown(text),
            DriveFileKind.Html => FromHtml(text),
            DriveFileKind.Json => FromJson(text, name),
            DriveFileKind.Csv => FromCsv(text),
            _ => new DriveDocument(null, [new DriveSection([], Paragraphs(text))]),
        };
    }

    private static async Task<byte[]> ReadAllAsync(Stream content, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static DriveFileKind? Sniff(byte[] bytes)
    {
        var head = bytes.AsSpan(0, Math.Min(bytes.Length, SniffBytes));
        if (head.StartsWith("%PDF-"u8))
        {
            return DriveFileKind.Pdf;
        }

        if (head.Contains((byte)0))
        {
            return null;
        }

        var start = Encoding.UTF8.GetString(head).TrimStart().ToLowerInvariant();
        return start.StartsWith("<!doctype html", StringComparison.Ordinal) || start.StartsWith("<html", StringComparison.Ordinal)
            ? DriveFileKind.Html
            : DriveFileKind.Text;
    }

    private static string Decode(byte[] bytes, string name)
    {
        if (bytes.AsSpan(0, Math.Min(bytes.Length, SniffBytes)).Contains((byte)0))
        {
            throw new DriveExtractionException($"'{name}' is said to be text but holds binary data (NUL bytes).");
        }

        // UTF-8 with or without a BOM; a UTF-16 file announces itself with its BOM.
        using var reader = new StreamReader(new MemoryStream(bytes, writable: false), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd().ReplaceLineEndings("\n");
    }

    private static DriveDocument FromMarkdown(string text)
    {
        var sections = new List<DriveSection>();
        var headings = new List<(int Level, string Text)>();
        var body = new StringBuilder();
        string? title = null;
        string? fence = null;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (fence is not null)
            {
                body.Append(line).Append('\n');
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }

                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                fence = trimmed[..3];
                body.Append(line).Append('\n');
                continue;
            }

            var heading = MarkdownHeading().Match(line);
            if (!heading.Success)
            {
                body.Append(line).Append('\n');
                continue;
            }

            Flush();
            var level = heading.Groups[1].Length;
            var headingText = heading.Groups[2].Value.Trim();
            title ??= level == 1 ? headingText : null;
            headings.RemoveAll(h => h.Level >= level);
            headings.Add((level, headingText));
        }

        Flush();
        return new DriveDocument(title ?? sections.FirstOrDefault(s => s.Headings.Count > 0)?.Headings[0], sections);

        void Flush()
        {
            var paragraphs = Paragraphs(body.ToString());
            body.Clear();
            if (paragraphs.Length > 0 || headings.Count > 0)
            {
                sections.Add(new DriveSection([.. headings.Select(h => h.Text)], paragraphs));
            }
        }
    }

    private static DriveDocument FromHtml(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var title = Collapse(document.Title ?? string.Empty);
        foreach (var element in document.QuerySelectorAll("script, style, noscript, template, svg, head").ToList())
        {
            element.Remove();
        }

        var walker = new HtmlWalker();
        walker.Walk(document.Body ?? document.DocumentElement);
        var sections = walker.Finish();
        return new DriveDocument(title.Length > 0 ? title : sections.FirstOrDefault(s => s.Headings.Count > 0)?.Headings[0], sections);
    }

    private static DriveDocument FromPdf(Stream content, string name)
    {
        try
        {
            using var document = PdfDocument.Open(content);
            var sections = new List<DriveSection>();
            foreach (var page in document.GetPages())
            {
                var text = string.Join(' ', page.GetWords().Select(word => word.Text));
                if (text.Length > 0)
                {
                    sections.Add(new DriveSection([string.Create(CultureInfo.InvariantCulture, $"Page {page.Number}")], Paragraphs(text)));
                }
            }

            if (sections.Count == 0)
            {
                throw new DriveExtractionException($"'{name}' is a PDF without extractable text (scanned pages need OCR, which drives do not do).");
            }

            var title = document.Information.Title is { } info && !string.IsNullOrWhiteSpace(info) ? info.Trim() : null;
            return new DriveDocument(title, sections);
        }
#pragma warning disable CA1031 // PdfPig throws many types for damaged files; to the uploader they all mean the same thing.
        catch (Exception exception) when (exception is not DriveExtractionException and not OperationCanceledException)
#pragma warning restore CA1031
        {
            throw new DriveExtractionException($"'{name}' could not be read as a PDF: {exception.Message}", exception);
        }
    }

    private static DriveDocument FromJson(string text, string name)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new DriveExtractionException($"'{name}' is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            var sections = new List<DriveSection>();
            string summary;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var keys = root.EnumerateObject().Select(p => p.Name).ToList();
                foreach (var property in root.EnumerateObject())
                {
                    var lines = new StringBuilder();
                    Flatten(property.Value, property.Name, lines);
                    sections.Add(new DriveSection([property.Name], lines.ToString().TrimEnd()));
                }

                summary = keys.Count == 0 ? "An empty JSON object." : $"A JSON object with the keys {string.Join(", ", keys.Take(12))}{(keys.Count > 12 ? ", …" : string.Empty)}.";
            }
            else
            {
                var lines = new StringBuilder();
                Flatten(root, string.Empty, lines);
                sections.Add(new DriveSection([], lines.ToString().TrimEnd()));
                summary = root.ValueKind == JsonValueKind.Array
                    ? string.Create(CultureInfo.InvariantCulture, $"A JSON array of {root.GetArrayLength()} items.")
                    : "A single JSON value.";
            }

            return new DriveDocument(null, sections, summary);
        }
    }

    private static void Flatten(JsonElement value, string path, StringBuilder lines)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Flatten(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", lines);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Flatten(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]"), lines);
                }

                break;
            default:
                var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                lines.Append(path.Length == 0 ? text : $"{path}: {text}").Append('\n');
                break;
        }
    }

    private static DriveDocument FromCsv(string text)
    {
        var rows = CsvRows(text).Where(r => r.Any(cell => cell.Length > 0)).ToList();
        if (rows.Count == 0)
        {
            return new DriveDocument(null, [], "An empty CSV table.");
        }

        var header = rows[0].Select((cell, i) => cell.Length > 0 ? cell : string.Create(CultureInfo.InvariantCulture, $"column {i + 1}")).ToList();
        var lines = new StringBuilder();
        foreach (var row in rows.Skip(1))
        {
            var cells = row.Select((cell, i) => (Name: i < header.Count ? header[i] : string.Create(CultureInfo.InvariantCulture, $"column {i + 1}"), Value: cell))
                .Where(c => c.Value.Length > 0);
            lines.AppendJoin("; ", cells.Select(c => $"{c.Name}: {c.Value}")).Append('\n');
        }

        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"A CSV table of {rows.Count - 1} row{(rows.Count == 2 ? string.Empty : "s")} with the columns {string.Join(", ", header.Take(12))}{(header.Count > 12 ? ", …" : string.Empty)}.");
        return new DriveDocument(null, [new DriveSection([], lines.ToString().TrimEnd())], summary);
    }

    /// <summary>RFC 4180 records: quoted fields may hold separators, quotes (doubled) and line breaks; the separator is the header's most common of , ; and tab.</summary>
    private static IEnumerable<List<string>> CsvRows(string text)
    {
        var firstLine = text.Split('\n', 2)[0];
        var separator = CsvSeparators.MaxBy(c => firstLine.Count(x => x == c));
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"' && cell.Length == 0)
            {
                quoted = true;
            }
            else if (c == separator)
            {
                row.Add(Collapse(cell.ToString()));
                cell.Clear();
            }
            else if (c == '\n')
            {
                row.Add(Collapse(cell.ToString()));
                cell.Clear();
                yield return row;
                row = [];
            }
            else
            {
                cell.Append(c);
            }
        }

        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(Collapse(cell.ToString()));
            yield return row;
        }
    }

    /// <summary>Lines trimmed at their ends; runs of blank lines become one blank line between paragraphs.</summary>
    internal static string Paragraphs(string text)
    {
        var builder = new StringBuilder(text.Length);
        var blank = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Trim().Length == 0)
            {
                blank = builder.Length > 0;
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(blank ? "\n\n" : "\n");
            }

            builder.Append(line);
            blank = false;
        }

        return builder.ToString();
    }

    internal static string Collapse(string text) => string.Join(' ', text.Split((char[])[' ', '\t', '\r', '\n', '\u00a0'], StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")]
    private static partial Regex MarkdownHeading();

    /// <summary>Walks an HTML tree into sections: headings start sections, block elements break paragraphs, list items become "- " lines.</summary>
    private sealed class HtmlWalker
    {
        private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
        {
            "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "blockquote", "pre", "ul", "ol",
            "li", "table", "tr", "dl", "dt", "dd", "figure", "figcaption", "br", "hr", "form", "fieldset", "address",
        };

        private readonly List<DriveSection> _sections = [];
        private readonly List<(int Level, string Text)> _headings = [];
        private readonly StringBuilder _body = new();

        public void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        AppendInline(text.Data);
                        break;
                    case IElement element when element.LocalName.Length == 2 && element.LocalName[0] == 'h' && char.IsAsciiDigit(element.LocalName[1]) && element.LocalName[1] is >= '1' and <= '6':
                        StartSection(element.LocalName[1] - '0', Collapse(element.TextContent));
                        break;
                    case IElement { LocalName: "pre" } element:
                        Break();
                        _body.Append(element.TextContent.TrimEnd()).Append("\n\n");
                        break;
                    case IElement element:
                        var block = Blocks.Contains(element.LocalName);
                        if (block)
                        {
                            Break();
                        }

                        if (element.LocalName == "li")
                        {
                            _body.Append("- ");
                        }
                        else if (element.LocalName is "td" or "th" && element.PreviousElementSibling is not null)
                        {
                            _body.Append(" | ");
                        }

                        Walk(element);
                        if (block)
                        {
                            Break();
                        }

                        break;
                }
            }
        }

        public List<DriveSection> Finish()
        {
            Flush();
            return _sections;
        }

        private void AppendInline(string data)
        {
            var collapsed = Collapse(data);
            if (collapsed.Length == 0)
            {
                if (data.Length > 0 && _body.Length > 0 && _body[^1] is not (' ' or '\n'))
                {
                    _body.Append(' ');
                }

                return;
            }

            if (char.IsWhiteSpace(data[0]) && _body.Length > 0 && _body[^1] is not (' ' or '\n'))
            {
                _body.Append(' ');
            }

            _body.Append(collapsed);
            if (char.IsWhiteSpace(data[^1]))
            {
                _body.Append(' ');
            }
        }

        private void Break()
        {
            while (_body.Length > 0 && _body[^1] == ' ')
            {
                _body.Length--;
            }

            if (_body.Length > 0 && !(_body.Length >= 2 && _body[^1] == '\n' && _body[^2] == '\n'))
            {
                _body.Append(_body[^1] == '\n' ? "\n" : "\n\n");
            }
        }

        private void StartSection(int level, string text)
        {
            Flush();
            _headings.RemoveAll(h => h.Level >= level);
            if (text.Length > 0)
            {
                _headings.Add((level, text));
            }
        }

        private void Flush()
        {
            var paragraphs = Paragraphs(_body.ToString());
            _body.Clear();
            if (paragraphs.Length > 0 || _headings.Count > 0)
            {
                _sections.Add(new DriveSection([.. _headings.Select(h => h.Text)], paragraphs));
            }
        }
    }
}
