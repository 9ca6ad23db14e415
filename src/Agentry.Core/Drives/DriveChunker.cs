using System.Text;

namespace Agentry.Core.Drives;

/// <summary>
/// Splits a <see cref="DriveDocument"/> into <see cref="DriveChunk"/>s for the index: whole paragraphs under one
/// heading, up to <see cref="MaxChunkChars"/> each; a longer paragraph is split at lines, then sentences, then words.
/// Chunks do not overlap, so the bodies in order, joined by blank lines, are the document's text; each section's first
/// chunk starts with its heading, so that text reads like the document.
/// </summary>
public static class DriveChunker
{
    /// <summary>The most characters a chunk holds (a single word longer than this is cut).</summary>
    public const int MaxChunkChars = 1500;

    /// <summary>The chunks of <paramref name="document"/>, numbered from 0.</summary>
    public static IReadOnlyList<DriveChunk> Chunk(DriveDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var chunks = new List<DriveChunk>();
        var pendingHeadings = new List<string>();
        foreach (var section in document.Sections)
        {
            if (section.Headings.Count > 0)
            {
                pendingHeadings.Add(section.Headings[^1]);
            }

            if (section.Text.Length == 0)
            {
                continue;
            }

            var heading = string.Join(" › ", section.Headings);
            var current = new StringBuilder(string.Join("\n\n", pendingHeadings));
            pendingHeadings.Clear();
            foreach (var piece in section.Text.Split("\n\n").SelectMany(Pieces))
            {
                if (current.Length > 0 && current.Length + 2 + piece.Length > MaxChunkChars)
                {
                    chunks.Add(new DriveChunk(chunks.Count, heading, current.ToString()));
                    current.Clear();
                }

                if (current.Length > 0)
                {
                    current.Append("\n\n");
                }

                current.Append(piece);
            }

            if (current.Length > 0)
            {
                chunks.Add(new DriveChunk(chunks.Count, heading, current.ToString()));
            }
        }

        if (pendingHeadings.Count > 0)
        {
            chunks.Add(new DriveChunk(chunks.Count, string.Empty, string.Join("\n\n", pendingHeadings)));
        }

        return chunks;
    }

    /// <summary>
    /// A short extractive summary: the first sentences of the first paragraphs that read as prose (not headings,
    /// lists, tables or code), up to about <paramref name="maxChars"/> characters; null when there are none.
    /// </summary>
    public static string? Summarize(DriveDocument document, int maxChars = 300)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (document.Summary is not null)
        {
            return document.Summary;
        }

        var summary = new StringBuilder();
        foreach (var paragraph in document.Sections.SelectMany(s => s.Text.Split("\n\n")))
        {
            if (!DriveText.IsProse(paragraph))
            {
                continue;
            }

            foreach (var sentence in DriveText.Sentences(paragraph))
            {
                if (summary.Length > 0 && summary.Length + 1 + sentence.Length > maxChars)
                {
                    return summary.ToString();
                }

                if (summary.Length > 0)
                {
                    summary.Append(' ');
                }

                summary.Append(sentence.Length > maxChars ? DriveText.Cut(sentence, maxChars) : sentence);
                if (summary.Length >= maxChars / 2)
                {
                    return summary.ToString();
                }
            }
        }

        return summary.Length == 0 ? null : summary.ToString();
    }

    // A paragraph that fits is one piece; a longer one is split at lines, sentences, then words, into pieces that fit.
    private static IEnumerable<string> Pieces(string paragraph)
    {
        if (paragraph.Length <= MaxChunkChars)
        {
            return [paragraph];
        }

        var lines = paragraph.Split('\n');
        var parts = lines.Length > 1 ? lines : [.. DriveText.Sentences(paragraph)];
        if (parts.Length <= 1)
        {
            parts = [.. Words(paragraph)];
        }

        var pieces = new List<string>();
        var current = new StringBuilder();
        var separator = lines.Length > 1 ? "\n" : " ";
        foreach (var part in parts.SelectMany(p => p.Length > MaxChunkChars ? Pieces(p) : [p]))
        {
            if (current.Length > 0 && current.Length + separator.Length + part.Length > MaxChunkChars)
            {
                pieces.Add(current.ToString());
                current.Clear();
            }

            if (current.Length > 0)
            {
                current.Append(separator);
            }

            current.Append(part);
        }

        if (current.Length > 0)
        {
            pieces.Add(current.ToString());
        }

        return pieces;
    }

    private static IEnumerable<string> Words(string text)
    {
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            for (var start = 0; start < word.Length; start += MaxChunkChars)
            {
                yield return word.Substring(start, Math.Min(MaxChunkChars, word.Length - start));
            }
        }
    }
}
