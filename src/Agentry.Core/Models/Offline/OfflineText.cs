using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Agentry.Core.Models.Offline;

/// <summary>Small, culture-free text helpers for the offline model's writing.</summary>
internal static class OfflineText
{
    private static readonly string[] ProseNames = ["summary", "description", "content", "text", "body", "answer", "result", "report", "details", "explanation", "overview", "abstract", "notes"];

    /// <summary>Runs of whitespace become one space; the ends are trimmed.</summary>
    public static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>The first sentence of <paramref name="text"/>, cut at a word boundary to at most <paramref name="maxLength"/> characters.</summary>
    public static string Shorten(string text, int maxLength)
    {
        var collapsed = Collapse(text);
        var end = collapsed.IndexOfAny(['.', '!', '?', '\n']);
        var sentence = end > 0 ? collapsed[..end] : collapsed;
        if (sentence.Length <= maxLength)
        {
            return sentence;
        }

        var cut = sentence.LastIndexOf(' ', maxLength - 1);
        return string.Concat(sentence.AsSpan(0, cut > maxLength / 2 ? cut : maxLength - 1).TrimEnd(), "…");
    }

    /// <summary>True for property names that ask for prose rather than a label.</summary>
    public static bool IsProseName(string? name) =>
        name is not null && ProseNames.Any(prose => NormalizeName(name).EndsWith(prose, StringComparison.Ordinal));

    /// <summary><c>topic_name</c>, <c>topicName</c> and <c>Topic-Name</c> all become <c>topicname</c>.</summary>
    public static string NormalizeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary><c>topicName</c> or <c>topic_name</c> becomes <c>Topic name</c>.</summary>
    public static string Humanize(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is '_' or '-' or ' ')
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }

                continue;
            }

            if (char.IsUpper(c) && builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }

            builder.Append(builder.Length == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }

        return builder.ToString().Trim();
    }

    /// <summary>A plausible singular of an array property's name (<c>items</c> → <c>item</c>), for naming its elements.</summary>
    public static string? Singular(string? name) => name switch
    {
        null => null,
        _ when name.EndsWith("ies", StringComparison.Ordinal) && name.Length > 3 => string.Concat(name.AsSpan(0, name.Length - 3), "y"),
        _ when name.EndsWith('s') && !name.EndsWith("ss", StringComparison.Ordinal) && name.Length > 1 => name[..^1],
        _ => name,
    };

    /// <summary>The number of Unicode code points, which is how JSON Schema measures string length.</summary>
    public static int CountCodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>At most <paramref name="maxCodePoints"/> code points of <paramref name="text"/>, never splitting a surrogate pair.</summary>
    public static string TruncateCodePoints(string text, int maxCodePoints)
    {
        if (text.Length <= maxCodePoints)
        {
            return text;
        }

        var builder = new StringBuilder(maxCodePoints);
        var count = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (count++ == maxCodePoints)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString().TrimEnd();
    }

    /// <summary>An input value as a person would read it in a list: strings bare, scalars as JSON, lists joined.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Array when value.EnumerateArray().All(item => item.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) =>
            string.Join(", ", value.EnumerateArray().Select(Describe)),
        JsonValueKind.Object or JsonValueKind.Array => string.Create(CultureInfo.InvariantCulture, $"`{value.GetRawText()}`"),
        _ => value.GetRawText(),
    };
}
