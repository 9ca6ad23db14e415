using System.Runtime.CompilerServices;
using Agentry.Core.Models;
using Microsoft.Extensions.AI;

namespace Agentry.Bench.Runtime;

/// <summary>
/// The bench-only model provider <c>bench</c>: its stacks answer from <see cref="BenchChatClient"/>, in-process, after
/// the stack's <see cref="ModelStackOptions.StepDelayMs"/> (zero for <c>bench/zero</c>, a long wait for <c>bench/slow</c>)
/// before it answers the tool results.
/// </summary>
internal sealed class BenchModelProvider : IModelProvider
{
    public const string ProviderName = "bench";

    public string Name => ProviderName;

    public string DefaultModel => "bench-model";

    public ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options) =>
        ModelClientResult.Created(new BenchChatClient(model, TimeSpan.FromMilliseconds(options.StepDelayMs)));
}

/// <summary>
/// A deterministic fake model. With tools offered and no tool results yet in the transcript's last message it asks for
/// <see cref="ToolCallsPerTurn"/> calls of <c>echo</c>; after the tool results it narrates and stops acting; without tools
/// (planning, result) it answers a short text. Every answer reports token usage. A delay, if any, comes before the answer
/// to the tool results (the second acting turn: planning, the first acting turn and the five calls are done by then) and
/// honours cancellation.
/// </summary>
internal sealed class BenchChatClient(string model, TimeSpan delay) : IChatClient
{
    public const int ToolCallsPerTurn = 5;

    private static readonly UsageDetails Usage = new() { InputTokenCount = 120, OutputTokenCount = 30, TotalTokenCount = 150 };

    private static int _waiting;

    /// <summary>How many calls are in their delay now (over every stack of the process).</summary>
    public static int Waiting => Volatile.Read(ref _waiting);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var last = messages.LastOrDefault();
        if (delay > TimeSpan.Zero && last?.Role == ChatRole.Tool)
        {
            // The slow model waits once the tool results are in, so a waiting run holds a transcript with its tool calls.
            Interlocked.Increment(ref _waiting);
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        ChatMessage answer;
        if (options?.Tools is { Count: > 0 })
        {
            answer = last?.Role == ChatRole.Tool
                ? new ChatMessage(ChatRole.Assistant, "The five echoes came back; that is all I needed.")
                : new ChatMessage(ChatRole.Assistant, [new TextContent("Calling echo five times."), .. ToolCalls()]);
        }
        else
        {
            answer = new ChatMessage(ChatRole.Assistant, "Plan: call echo five times, then report. Result: every echo answered.");
        }

        return new ChatResponse(answer)
        {
            ModelId = model,
            FinishReason = answer.Contents.OfType<FunctionCallContent>().Any() ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = Usage,
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private static IEnumerable<AIContent> ToolCalls()
    {
        for (var i = 0; i < ToolCallsPerTurn; i++)
        {
            yield return new FunctionCallContent($"call_{i}", EchoToolProvider.ToolName, new Dictionary<string, object?> { ["text"] = $"ping {i}" });
        }
    }
}
