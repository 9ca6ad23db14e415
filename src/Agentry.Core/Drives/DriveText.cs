using System.Text;
using System.Text.RegularExpressions;

namespace Agentry.Core.Drives;

/// <summary>Text helpers shared by indexing, search and the offline model's reports over drive files.</summary>
public static partial class DriveText
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "in", "into", "is", "it",
        "its", "of", "on", "or", "that", "the", "their", "then", "there", "these", "this", "to", "was", "what", "when", "where",
        "which", "who", "why", "will", "with", "you", "your", "about", "me", "my", "we", "our", "not", "no", "if", "so", "than",
    };

    /// <summary>The sentences of a paragraph: split after <c>.</c>, <c>!</c> or <c>?</c> followed by a space and a capital, digit or quote.</summary>
    public static IEnumerable<string> Sentences(string paragraph)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        foreach (var sentence in SentenceBreak().Split(Collapse(paragraph)))
        {
            if (sentence.Length > 0)
            {
                yield return sentence;
            }
        }
    }

    /// <summary>True for a paragraph that reads as prose: not a heading, list, table, quote, code, or a line of a few words.</summary>
    public static bool IsProse(string paragraph)
    {
        ArgumentNullException.ThrowIfNull(paragraph);
        var text = paragraph.TrimStart();
        if (text.Length == 0 || text[0] is '#' or '|' or '-' or '*' or '>' or '`' or '<' or '{' or '[' or '~' || char.IsAsciiDigit(text[0]) && text.Contains(". ", StringComparison.Ordinal) && text.IndexOf(". ", StringComparison.Ordinal) < 4)
        {
            return false;
        }

        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 6 && text.Any(c => c is '.' or '!' or '?' or ':' or ';' or ',');
    }

    /// <summary>The distinct search terms of free text: words of two or more letters or digits, lower case, without stop words, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<string> Terms(string text, int max = 16)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<string>();
        foreach (Match match in Word().Matches(text))
        {
            var term = match.Value.ToLowerInvariant();
            if (term.Length >= 2 && !StopWords.Contains(term) && !terms.Contains(term))
            {
                terms.Add(term);
                if (terms.Count == max)
                {
                    break;
                }
            }
        }

        return terms;
    }

    /// <summary>
    /// An FTS5 query that matches any of the terms of <paramref name="text"/> (each quoted, so nothing in the text is
    /// read as query syntax); bm25 ranks files that match more and rarer terms first. Null when the text has no terms.
    /// </summary>
    public static string? MatchQuery(string text)
    {
        var terms = Terms(text);
        return terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => $"\"{t}\""));
    }

    /// <summary>Runs of whitespace become one space; the ends are trimmed.</summary>
    public static string Collapse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var part in text.Split((char[])[' ', '\t', '\r', '\n', '\u00a0'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(part);
        }

        return builder.ToString();
    }

    /// <summary><paramref name="text"/> cut at a word boundary to at most <paramref name="maxChars"/> characters, with "…" when cut.</summary>
    public static string Cut(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxChars)
        {
            return text;
        }

        var end = text.LastIndexOf(' ', maxChars - 1);
        return string.Concat(text.AsSpan(0, end > maxChars / 2 ? end : maxChars - 1).TrimEnd(), "…");
    }

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[\p{Lu}\p{Nd}""'(\[])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex Word();
}
