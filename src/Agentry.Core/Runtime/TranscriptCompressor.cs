using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Runtime;

/// <summary>
/// Context compression (<c>enableContextCompression</c>, DESIGN.md §5): decides when a run's transcript has grown past
/// a share of the model's context window, picks the older turns to summarise, and swaps them for one summary message.
/// The summarising model call itself belongs to the loop, so it is counted, budgeted and reported like any other call.
/// </summary>
/// <remarks>
/// The transcript keeps its first <see cref="PinnedMessages"/> messages (the system prompt and the goal with the input)
/// and its most recent messages — at most <see cref="MaxRecentMessages"/>, fewer when they would take more than half
/// of the threshold, and never a tool result without the call it answers. Everything between is summarised.
/// </remarks>
internal sealed class TranscriptCompressor
{
    /// <summary>
    /// The share of the context window at which older turns are summarised. Three quarters leaves the last quarter
    /// for the next turn's answer and tool results, which arrive before the loop can check again.
    /// </summary>
    public const double ThresholdShare = 0.75;

    /// <summary>
    /// The window assumed for a stack that does not declare <c>ContextWindowTokens</c>. Such stacks are mostly small
    /// local models (Ollama, llama.cpp), whose contexts are often 8K; assuming more would let their prompts be cut.
    /// </summary>
    public const int DefaultContextWindowTokens = 8_192;

    /// <summary>The most recent messages kept verbatim: about the last two or three exchanges of call and result.</summary>
    public const int MaxRecentMessages = 6;

    /// <summary>The system prompt and the goal with the input, which every turn needs word for word.</summary>
    public const int PinnedMessages = 2;

    // Fewer than two messages between the pinned ones and the kept ones would be replaced by one summary: no gain.
    private const int MinSummarisedMessages = 2;

    // One huge tool result must not make the summarising request itself overflow the context.
    private const int MaxRenderedCharacters = 4_000;

    // The input tokens the provider reported for the last call on the transcript, and how many messages it saw.
    private (int MessageCount, long InputTokens)? _reported;

    public TranscriptCompressor(int? contextWindowTokens)
    {
        var window = contextWindowTokens is > 0 ? contextWindowTokens.Value : DefaultContextWindowTokens;
        ThresholdTokens = (long)(window * ThresholdShare);
    }

    /// <summary>The estimated transcript size, in tokens, past which older turns are summarised.</summary>
    public long ThresholdTokens { get; }

    /// <summary>
    /// Records what the provider counted for a call on the transcript of <paramref name="messageCount"/> messages; a
    /// provider's count beats any estimate. Zero means the provider reported nothing.
    /// </summary>
    public void Observe(int messageCount, long inputTokens) =>
        _reported = inputTokens > 0 ? (messageCount, inputTokens) : null;

    /// <summary>
    /// The transcript's size in tokens: what the provider reported for the messages it last saw plus four characters a
    /// token for the messages added since; four characters a token for all of it when the provider reported nothing.
    /// </summary>
    public long Estimate(IReadOnlyList<ChatMessage> transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        return _reported is { } reported && reported.MessageCount <= transcript.Count
            ? reported.InputTokens + EstimateTokens(transcript.Skip(reported.MessageCount))
            : EstimateTokens(transcript);
    }

    /// <summary>What to summarise before the next turn, or null when the transcript is under the threshold or too short to gain.</summary>
    public CompressionPlan? Plan(IReadOnlyList<ChatMessage> transcript)
    {
        var before = Estimate(transcript);
        if (before <= ThresholdTokens)
        {
            return null;
        }

        var keepFrom = KeptFrom(transcript, ThresholdTokens / 2);
        if (keepFrom - PinnedMessages < MinSummarisedMessages)
        {
            return null;
        }

        var summarised = new List<string>(keepFrom - PinnedMessages);
        for (var i = PinnedMessages; i < keepFrom; i++)
        {
            summarised.Add(Render(transcript[i]));
        }

        return new CompressionPlan(before, keepFrom, summarised);
    }

    /// <summary>Replaces the planned messages of <paramref name="transcript"/> with <paramref name="summary"/>; answers the new estimated size.</summary>
    public long Apply(List<ChatMessage> transcript, CompressionPlan plan, string summary)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(plan);
        transcript.RemoveRange(PinnedMessages, plan.KeepFrom - PinnedMessages);
        transcript.Insert(PinnedMessages, new ChatMessage(ChatRole.User, AgentPrompts.CompressedSummary(summary)));

        // The provider's last count was for messages that are gone; estimate until it counts the new transcript.
        _reported = null;
        return EstimateTokens(transcript);
    }

    /// <summary>
    /// The summarising request: the instruction, then the messages as text. Text rather than the messages themselves,
    /// because providers refuse tool calls and results in a request that offers no tools.
    /// </summary>
    public static List<ChatMessage> Request(CompressionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return
        [
            new ChatMessage(ChatRole.System, AgentPrompts.CompressionInstruction),
            new ChatMessage(ChatRole.User, AgentPrompts.CompressionTranscript(plan.Summarised)),
        ];
    }

    /// <summary>The index of the first message kept verbatim: at least the last one, and never a tool result cut from its call.</summary>
    internal static int KeptFrom(IReadOnlyList<ChatMessage> transcript, long tailBudgetTokens)
    {
        var start = transcript.Count;
        var tokens = 0L;
        while (start > PinnedMessages && transcript.Count - start < MaxRecentMessages)
        {
            var size = EstimateTokens(transcript[start - 1]);
            if (start < transcript.Count && tokens + size > tailBudgetTokens)
            {
                break;
            }

            tokens += size;
            start--;
        }

        // A tool result without the call before it is refused by providers, and meaningless to a model: keep the pair.
        while (start > PinnedMessages && start < transcript.Count && IsToolResult(transcript[start]))
        {
            start--;
        }

        return start;
    }

    /// <summary>One message as text for the summariser (its role, then its text, tool calls and results), bounded in length.</summary>
    internal static string Render(ChatMessage message)
    {
        var text = RenderFull(message);
        return text.Length <= MaxRenderedCharacters ? text : string.Concat(text.AsSpan(0, MaxRenderedCharacters - 1), "…");
    }

    private static string RenderFull(ChatMessage message)
    {
        var builder = new StringBuilder();
        builder.Append(message.Role.Value).Append(": ");
        var first = true;
        foreach (var content in message.Contents)
        {
            var part = content switch
            {
                TextContent text when !string.IsNullOrWhiteSpace(text.Text) => text.Text.Trim(),
                FunctionCallContent call => $"[called {call.Name} with {Serialize(call.Arguments)}]",
                FunctionResultContent result => $"[result of {result.CallId}: {Serialize(result.Result)}]",
                _ => null,
            };
            if (part is null)
            {
                continue;
            }

            if (!first)
            {
                builder.Append('\n');
            }

            builder.Append(part);
            first = false;
        }

        return builder.ToString();
    }

    private static bool IsToolResult(ChatMessage message) =>
        message.Role == ChatRole.Tool || message.Contents.Any(static c => c is FunctionResultContent);

    private static long EstimateTokens(IEnumerable<ChatMessage> messages) => messages.Sum(EstimateTokens);

    // Four characters a token, rounded up: the usual rule of thumb for English text with the common tokenizers.
    private static long EstimateTokens(ChatMessage message)
    {
        var characters = RenderFull(message).Length;
        return (characters + 3) / 4;
    }

    private static string Serialize(object? value) => value switch
    {
        null => "null",
        string text => text,
        _ => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions),
    };
}

/// <summary>The outcome of <see cref="TranscriptCompressor.Plan"/>.</summary>
/// <param name="TokensBefore">The transcript's estimated size that crossed the threshold.</param>
/// <param name="KeepFrom">The index of the first message kept verbatim; those from the pinned ones up to it are summarised.</param>
/// <param name="Summarised">The summarised messages, each rendered as text, oldest first.</param>
internal sealed record CompressionPlan(long TokensBefore, int KeepFrom, IReadOnlyList<string> Summarised);
