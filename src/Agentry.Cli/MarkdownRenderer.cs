using System.Text;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Agentry.Cli;

/// <summary>
/// Renders the Markdown of a document result for a terminal: headings, bullets, bold, inline code, links and code
/// blocks become Spectre markup. Anything else is shown as written.
/// </summary>
internal static partial class MarkdownRenderer
{
    public static void Write(IAnsiConsole console, string markdown)
    {
        var inCode = false;
        foreach (var raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (inCode)
            {
                console.MarkupLine($"  [grey]{Markup.Escape(raw)}[/]");
                continue;
            }

            console.MarkupLine(RenderLine(raw));
        }
    }

    private static string RenderLine(string line)
    {
        var heading = HeadingPattern().Match(line);
        if (heading.Success)
        {
            var style = heading.Groups[1].Length == 1 ? "bold underline" : "bold";
            return $"[{style}]{Inline(heading.Groups[2].Value)}[/]";
        }

        var bullet = BulletPattern().Match(line);
        if (bullet.Success)
        {
            return $"{bullet.Groups[1].Value}• {Inline(bullet.Groups[2].Value)}";
        }

        return line.StartsWith("> ", StringComparison.Ordinal) ? $"[grey]│ {Inline(line[2..])}[/]" : Inline(line);
    }

    /// <summary>Bold, inline code and links inside a line; the rest escaped.</summary>
    private static string Inline(string text)
    {
        var builder = new StringBuilder();
        var last = 0;
        foreach (Match match in InlinePattern().Matches(text))
        {
            builder.Append(Markup.Escape(text[last..match.Index]));
            if (match.Groups["bold"].Success)
            {
                builder.Append("[bold]").Append(Markup.Escape(match.Groups["bold"].Value)).Append("[/]");
            }
            else if (match.Groups["code"].Success)
            {
                builder.Append("[aqua]").Append(Markup.Escape(match.Groups["code"].Value)).Append("[/]");
            }
            else
            {
                var url = match.Groups["url"].Value;
                builder.Append("[link=").Append(Markup.Escape(url)).Append("][blue]").Append(Markup.Escape(match.Groups["label"].Value)).Append("[/][/]");
            }

            last = match.Index + match.Length;
        }

        builder.Append(Markup.Escape(text[last..]));
        return builder.ToString();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^(\s*)(?:[-*+]|\d+\.)\s+(.*)$")]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"\*\*(?<bold>[^*]+)\*\*|`(?<code>[^`]+)`|\[(?<label>[^\]]+)\]\((?<url>[^)\s]+)\)")]
    private static partial Regex InlinePattern();
}
