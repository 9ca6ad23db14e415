using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Models.Offline;

/// <summary>
/// A deterministic, LLM-free model: it answers the run loop's requests (<see cref="AgentTurn"/>) from the goal, the
/// input and the result schema alone — a numbered plan, a short narration, an extractive summary of older turns, a
/// Markdown document or a JSON object that satisfies the schema. For an agent with drives it searches and reads them and
/// writes a report that cites the files read (<see cref="OfflineDriveResearch"/>); other tools it does not call. The same
/// request always gets the same answer, so the
/// whole loop runs with no network and no key, in the quickstart and in tests. Token counts are estimated at four characters a token.
/// </summary>
public sealed class OfflineChatClient : IChatClient
{
    private const int MaxTitleLength = 80;
    private const int MaxSummaryLineLength = 160;
    private readonly TimeSpan _stepDelay;
    private readonly TimeProvider _timeProvider;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates the client.</summary>
    /// <param name="modelId">Reported as <see cref="ChatResponse.ModelId"/>, e.g. <c>local/offline</c>.</param>
    /// <param name="stepDelay">A pause before each answer (zero for none), so runs can be watched live and cancelled.</param>
    /// <param name="timeProvider">The clock the pause runs on.</param>
    public OfflineChatClient(string modelId, TimeSpan stepDelay, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepDelay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ModelId = modelId;
        _stepDelay = stepDelay;
        _timeProvider = timeProvider;
        _metadata = new ChatClientMetadata("local", providerUri: null, modelId);
    }

    /// <summary>The model id reported with every response.</summary>
    public string ModelId { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        if (_stepDelay > TimeSpan.Zero)
        {
            await Task.Delay(_stepDelay, _timeProvider, cancellationToken);
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        var turn = AgentTurn.From(options) ?? InferTurn(history, options);
        var jsonFormat = options?.ResponseFormat as ChatResponseFormatJson;
        var message = turn.Phase switch
        {
            AgentPhase.Planning => new ChatMessage(ChatRole.Assistant, WritePlan(turn, options)),
            AgentPhase.Acting when OfflineDriveResearch.Applies(options) => OfflineDriveResearch.Act(turn, history),
            AgentPhase.Acting => new ChatMessage(ChatRole.Assistant, WriteNarration(turn, options)),
            AgentPhase.Compression => new ChatMessage(ChatRole.Assistant, WriteSummary(turn)),
            _ when jsonFormat is not null => new ChatMessage(ChatRole.Assistant, WriteJson(turn, jsonFormat)),
            _ => new ChatMessage(ChatRole.Assistant, OfflineDriveResearch.WriteReport(turn, history, Title(turn)) ?? WriteDocument(turn)),
        };

        var calls = message.Contents.OfType<FunctionCallContent>().Count();
        var inputTokens = EstimateTokens(history.Sum(m => m.Text.Length) + (jsonFormat?.Schema?.GetRawText().Length ?? 0));
        var outputTokens = EstimateTokens(message.Text.Length);
        return new ChatResponse(message)
        {
            ModelId = ModelId,
            FinishReason = calls > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            CreatedAt = _timeProvider.GetUtcNow(),
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // The answer is computed whole; streaming it in one piece keeps both paths identical.
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: the client holds no connection.
    }

    /// <summary>The plan the offline model writes for a turn; the acting and result phases follow it.</summary>
    internal static IReadOnlyList<string> Plan(AgentTurn turn, IEnumerable<string> toolNames)
    {
        var fields = InputFields(turn.Input);
        var tools = toolNames.ToList();
        var steps = new List<string>
        {
            $"Restate the goal: {OfflineText.Shorten(turn.Goal, MaxTitleLength)}.",
            fields.Count == 0
                ? "Note that the run has no input values to work from."
                : $"Review the input: {string.Join(", ", fields.Select(f => f.Name))}.",
        };
        foreach (var (name, value) in fields.Take(3))
        {
            steps.Add($"Work {OfflineText.Humanize(name).ToLowerInvariant()} \"{OfflineText.Shorten(OfflineText.Describe(value), MaxTitleLength)}\" into the result.");
        }

        if (tools.Count > 0)
        {
            steps.Add($"Use the available tools where they help: {string.Join(", ", tools)}.");
        }

        steps.Add(turn.ResultType == ResultType.Json
            ? "Write the result as a JSON object that matches the result schema."
            : "Write the result as a Markdown document with a title and sections" + (turn.Sources.Count > 0 ? ", citing the sources." : "."));
        steps.Add("Check the result against the goal before finishing.");
        return steps;
    }

    private static string WritePlan(AgentTurn turn, ChatOptions? options)
    {
        var toolNames = options?.Tools?.Select(t => t.Name) ?? [];
        var builder = new StringBuilder();
        var number = 1;
        foreach (var step in Plan(turn, toolNames))
        {
            builder.Append(CultureInfo.InvariantCulture, $"{number++}. {step}\n");
        }

        return builder.ToString().TrimEnd();
    }

    private static string WriteNarration(AgentTurn turn, ChatOptions? options)
    {
        var fields = InputFields(turn.Input);
        var what = turn.ResultType == ResultType.Json ? "the JSON result" : "the document";
        var from = fields.Count == 0
            ? "the goal"
            : $"the goal and {fields.Count} input value{(fields.Count == 1 ? string.Empty : "s")} ({string.Join(", ", fields.Select(f => f.Name))})";
        var tools = options?.Tools is { Count: > 0 } ? " The offline model answers from what it was given, so it calls no tools." : string.Empty;
        return $"Working through the plan for \"{Title(turn)}\": gathering what {from} say and drafting {what}.{tools}";
    }

    // Extractive: the leading line of each summarised message, in order, so the same transcript gives the same summary.
    private static string WriteSummary(AgentTurn turn)
    {
        var builder = new StringBuilder();
        foreach (var message in turn.Transcript)
        {
            var line = message.Split('\n').Select(OfflineText.Collapse).FirstOrDefault(l => l.Length > 0);
            if (line is null)
            {
                continue;
            }

            if (line.Length > MaxSummaryLineLength)
            {
                var cut = line.LastIndexOf(' ', MaxSummaryLineLength - 1);
                line = string.Concat(line.AsSpan(0, cut > MaxSummaryLineLength / 2 ? cut : MaxSummaryLineLength - 1).TrimEnd(), "…");
            }

            builder.Append("- ").Append(line).Append('\n');
        }

        return builder.Length == 0 ? "- Nothing to summarise." : builder.ToString().TrimEnd();
    }

    private static string WriteDocument(AgentTurn turn)
    {
        var builder = new StringBuilder();
        var citations = turn.Sources.Count == 0
            ? string.Empty
            : " " + string.Concat(Enumerable.Range(1, turn.Sources.Count).Select(i => string.Create(CultureInfo.InvariantCulture, $"[{i}]")));
        builder.Append(CultureInfo.InvariantCulture, $"# {Title(turn)}\n\n");
        builder.Append("## Summary\n\n");
        builder.Append(CultureInfo.InvariantCulture, $"{OfflineText.Collapse(turn.Goal)}{citations}\n\n");

        var fields = InputFields(turn.Input);
        if (fields.Count > 0)
        {
            builder.Append("## Details\n\n");
            foreach (var (name, value) in fields)
            {
                builder.Append(CultureInfo.InvariantCulture, $"- **{OfflineText.Humanize(name)}**: {OfflineText.Describe(value)}\n");
            }

            builder.Append('\n');
        }

        builder.Append("## Approach\n\n");
        var number = 1;
        foreach (var step in Plan(turn, []))
        {
            builder.Append(CultureInfo.InvariantCulture, $"{number++}. {step}\n");
        }

        if (turn.Sources.Count > 0)
        {
            builder.Append("\n## Sources\n\n");
            number = 1;
            foreach (var source in turn.Sources)
            {
                builder.Append(CultureInfo.InvariantCulture, $"{number++}. [{source.Title ?? source.Url}]({source.Url})\n");
            }
        }

        return builder.ToString().TrimEnd() + "\n";
    }

    private static string WriteJson(AgentTurn turn, ChatResponseFormatJson format)
    {
        if (format.Schema is not { } schema)
        {
            // JSON with no schema: the goal and the input, which is all the offline model knows.
            return JsonSerializer.Serialize(new Dictionary<string, object?> { ["goal"] = OfflineText.Collapse(turn.Goal), ["input"] = turn.Input });
        }

        var value = new OfflineJsonGenerator(schema, turn.Input, turn.Goal).Generate();
        return value?.ToJsonString() ?? "null";
    }

    // A request that did not come from the run loop: answer its last user message as a document (or JSON when asked).
    private static AgentTurn InferTurn(IReadOnlyList<ChatMessage> history, ChatOptions? options)
    {
        var goal = history.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var resultType = options?.ResponseFormat is ChatResponseFormatJson ? ResultType.Json : ResultType.Document;
        using var empty = JsonDocument.Parse("{}");
        return new AgentTurn(AgentPhase.Result, goal, empty.RootElement.Clone(), resultType, Array.Empty<RunSource>());
    }

    private static string Title(AgentTurn turn)
    {
        foreach (var (name, value) in InputFields(turn.Input))
        {
            if (value.ValueKind == JsonValueKind.String && OfflineText.NormalizeName(name) is "title" or "topic" or "subject" or "name" or "query" or "question" &&
                value.GetString() is { Length: > 0 } text)
            {
                return OfflineText.Shorten(text, MaxTitleLength);
            }
        }

        var goal = OfflineText.Shorten(turn.Goal, MaxTitleLength);
        return goal.Length == 0 ? "Result" : goal;
    }

    private static List<(string Name, JsonElement Value)> InputFields(JsonElement input) =>
        input.ValueKind == JsonValueKind.Object
            ? [.. input.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => (p.Name, p.Value))]
            : [];

    private static long EstimateTokens(int characters) => characters <= 0 ? 0 : (characters + 3) / 4;
}
