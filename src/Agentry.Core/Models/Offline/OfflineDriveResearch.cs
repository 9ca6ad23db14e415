using System.Globalization;
using System.Text;
using System.Text.Json;
using Agentry.Core.Common;
using Agentry.Core.Drives;
using Agentry.Core.Runtime;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Models.Offline;

/// <summary>
/// What the offline model does for an agent with drives (<c>searchDrives</c> and <c>readDriveFile</c> among its
/// tools): search the drives with the words of the input (the goal when the input has no text), read the best
/// files, and write an extractive report whose sentences cite the files as <c>[n]</c> in the run's source order.
/// Every step is decided from the transcript alone, so the same input over the same files gives the same report.
/// </summary>
internal static class OfflineDriveResearch
{
    private const int FilesToRead = 3;
    private const int SentencesPerFile = 3;
    private const int MinSentenceChars = 30;
    private const int MaxSentenceChars = 400;
    private const string SearchCallPrefix = "drive_search_";
    private const string ReadCallPrefix = "drive_read_";

    private static readonly string[] QueryFieldNames = ["topic", "query", "question", "subject", "title", "q", "prompt", "task"];

    /// <summary>True when the request offers both drive tools.</summary>
    public static bool Applies(ChatOptions? options) =>
        options?.Tools is { } tools
        && tools.Any(t => t.Name == DriveToolProvider.SearchDrivesName)
        && tools.Any(t => t.Name == DriveToolProvider.ReadDriveFileName);

    /// <summary>The next acting step: search first, then read the best files, then stop (no calls).</summary>
    public static ChatMessage Act(AgentTurn turn, IReadOnlyList<ChatMessage> history)
    {
        var query = Query(turn);
        var calls = Calls(history);
        var searches = calls.Where(c => c.Call.Name == DriveToolProvider.SearchDrivesName).ToList();
        if (searches.Count == 0)
        {
            var search = new FunctionCallContent(SearchCallPrefix + "1", DriveToolProvider.SearchDrivesName, new Dictionary<string, object?> { ["query"] = query, ["limit"] = 8 });
            return new ChatMessage(ChatRole.Assistant, [new TextContent($"Searching the agent's drives for \"{query}\"."), search]);
        }

        var reads = calls.Where(c => c.Call.Name == DriveToolProvider.ReadDriveFileName).ToList();
        if (reads.Count == 0 && As<List<DriveSearchResultItem>>(searches[^1].Result) is { Count: > 0 } hits)
        {
            var best = hits.Select(h => h.ItemId).Distinct(StringComparer.Ordinal).Take(FilesToRead).ToList();
            var paths = best.Select(id => hits.First(h => h.ItemId == id).Path);
            var readCalls = best.Select((itemId, i) => (AIContent)new FunctionCallContent(
                string.Create(CultureInfo.InvariantCulture, $"{ReadCallPrefix}{i + 1}"),
                DriveToolProvider.ReadDriveFileName,
                new Dictionary<string, object?> { ["itemId"] = itemId, ["maxChars"] = DriveService.MaxReadChars }));
            return new ChatMessage(
                ChatRole.Assistant,
                [new TextContent($"Reading the {best.Count} best matching file{(best.Count == 1 ? string.Empty : "s")}: {string.Join(", ", paths)}."), .. readCalls]);
        }

        var read = Reads(history).Count;
        return new ChatMessage(ChatRole.Assistant, read == 0
            ? $"The drives have nothing on \"{query}\"; writing the result from the goal and the input."
            : $"Read {read} file{(read == 1 ? string.Empty : "s")} from the drives; writing the report from them.");
    }

    /// <summary>The report over the files the run read, or null when it read none.</summary>
    public static string? WriteReport(AgentTurn turn, IReadOnlyList<ChatMessage> history, string title)
    {
        var reads = Reads(history);
        if (reads.Count == 0)
        {
            return null;
        }

        var terms = DriveText.Terms(Query(turn));
        var findings = reads
            .GroupBy(r => r.Citation)
            .OrderBy(g => g.Key)
            .Select(g => (Read: g.First(), Sentences: Select(string.Join("\n\n", g.Select(r => r.Text)), terms)))
            .Where(f => f.Sentences.Count > 0)
            .ToList();
        if (findings.Count == 0)
        {
            return null;
        }

        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"# {title}\n\n## Summary\n\n");
        builder.AppendJoin(' ', findings.Select(f => $"{f.Sentences[0]} {Cite(f.Read)}")).Append("\n\n## Findings\n");
        foreach (var (read, sentences) in findings)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\n### {read.Title}\n\n");
            foreach (var sentence in sentences)
            {
                builder.Append(CultureInfo.InvariantCulture, $"- {sentence} {Cite(read)}\n");
            }
        }

        builder.Append("\n## Sources\n\n");
        var number = 1;
        foreach (var source in turn.Sources)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{number++}. [{source.Title ?? source.Url}]({source.Url})\n");
        }

        return builder.ToString().TrimEnd() + "\n";
    }

    private static string Cite(DriveReadResult read) => string.Create(CultureInfo.InvariantCulture, $"[{read.Citation}]");

    /// <summary>What to search for: the input's query-like text field, else all its text, else the goal.</summary>
    private static string Query(AgentTurn turn)
    {
        if (turn.Input.ValueKind == JsonValueKind.Object)
        {
            var strings = turn.Input.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: > 0 })
                .Select(p => (p.Name, Value: p.Value.GetString()!))
                .ToList();
            var named = strings.FirstOrDefault(s => QueryFieldNames.Contains(OfflineText.NormalizeName(s.Name)));
            if (named.Value is not null)
            {
                return DriveText.Collapse(named.Value);
            }

            if (strings.Count > 0)
            {
                return DriveText.Collapse(string.Join(' ', strings.Select(s => s.Value)));
            }
        }

        return DriveText.Cut(DriveText.Collapse(turn.Goal), 200);
    }

    /// <summary>The file's best sentences for the terms, in reading order; its first prose sentences when none match.</summary>
    private static List<string> Select(string text, IReadOnlyList<string> terms)
    {
        var sentences = text.Split("\n\n")
            .Where(DriveText.IsProse)
            .SelectMany(DriveText.Sentences)
            // A sentence that ends in a colon introduces a list or table that the report does not carry.
            .Where(s => s.Length is >= MinSentenceChars and <= MaxSentenceChars && !s.EndsWith(':'))
            .Distinct(StringComparer.Ordinal)
            .Select((sentence, position) => (Sentence: sentence, Position: position, Score: Score(sentence, terms)))
            .ToList();
        var matching = sentences.Where(s => s.Score > 0).OrderByDescending(s => s.Score).ThenBy(s => s.Position).Take(SentencesPerFile).ToList();
        var chosen = matching.Count > 0 ? matching : sentences.Take(2).ToList();
        return [.. chosen.OrderBy(s => s.Position).Select(s => s.Sentence)];
    }

    private static int Score(string sentence, IReadOnlyList<string> terms)
    {
        var words = DriveText.Terms(sentence, max: int.MaxValue);
        return terms.Count(term => words.Any(word => Matches(word, term)));
    }

    // A light stem match, so "agents" finds "agent" and "indexing" finds "index".
    private static bool Matches(string word, string term) =>
        word == term
        || (term.Length >= 4 && word.StartsWith(term, StringComparison.Ordinal))
        || (word.Length >= 4 && term.StartsWith(word, StringComparison.Ordinal));

    private static List<(FunctionCallContent Call, object? Result)> Calls(IReadOnlyList<ChatMessage> history)
    {
        var results = history.SelectMany(m => m.Contents).OfType<FunctionResultContent>()
            .GroupBy(r => r.CallId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Result, StringComparer.Ordinal);
        return
        [
            .. history.Where(m => m.Role == ChatRole.Assistant)
                .SelectMany(m => m.Contents)
                .OfType<FunctionCallContent>()
                .Select(call => (call, results.GetValueOrDefault(call.CallId))),
        ];
    }

    private static List<DriveReadResult> Reads(IReadOnlyList<ChatMessage> history) =>
        [
            .. Calls(history)
                .Where(c => c.Call.Name == DriveToolProvider.ReadDriveFileName)
                .Select(c => As<DriveReadResult>(c.Result))
                .OfType<DriveReadResult>(),
        ];

    /// <summary>A tool result as <typeparamref name="T"/>: the object itself in process, or its JSON when the transcript was serialised.</summary>
    private static T? As<T>(object? result)
        where T : class
    {
        switch (result)
        {
            case T typed:
                return typed;
            case IEnumerable<DriveSearchResultItem> hits when typeof(T) == typeof(List<DriveSearchResultItem>):
                return hits.ToList() as T;
            case JsonElement element when element.ValueKind is JsonValueKind.Object or JsonValueKind.Array:
                try
                {
                    return element.Deserialize<T>(AgentryJson.Options);
                }
                catch (JsonException)
                {
                    return null;
                }

            default:
                return null;
        }
    }
}
