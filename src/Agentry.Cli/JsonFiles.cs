using System.Text.Json;

namespace Agentry.Cli;

/// <summary>Reads JSON that the user gives in a file (<c>-</c> for stdin) or inline, with errors that say where it is wrong.</summary>
internal static class JsonFiles
{
    public static JsonElement ReadFile(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliUsageException($"Cannot read {path}: {ex.Message}");
        }

        return Parse(text, path == "-" ? "stdin" : path);
    }

    public static JsonElement Parse(string text, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1}" : "";
            throw new CliUsageException($"{source} is not valid JSON{where}. Check quotes and commas; in a shell, wrap JSON in single quotes.");
        }
    }
}
