using Microsoft.Extensions.AI;

namespace Agentry.Core.Tests.Fakes;

/// <summary>An <see cref="IChatClient"/> that answers from a script, one step per call, and records each request.</summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Queue<Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>> _script = new();
    private readonly List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> _requests = [];

    /// <summary>The requests received, with a snapshot of their messages.</summary>
    public IReadOnlyList<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests => _requests;

    /// <summary>Answers the next call with <paramref name="text"/>.</summary>
    public ScriptedChatClient ThenText(string text, long inputTokens = 10, long outputTokens = 5) =>
        Then(new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = "scripted",
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = outputTokens, TotalTokenCount = inputTokens + outputTokens },
        });

    /// <summary>Answers the next call with <paramref name="response"/>.</summary>
    public ScriptedChatClient Then(ChatResponse response) => Then((_, _) => response);

    /// <summary>Answers the next call by running <paramref name="step"/>.</summary>
    public ScriptedChatClient Then(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> step)
    {
        _script.Enqueue(step);
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = messages.ToList();
        _requests.Add((snapshot, options));
        if (!_script.TryDequeue(out var step))
        {
            throw new InvalidOperationException($"The script has no answer for call {_requests.Count}.");
        }

        return Task.FromResult(step(snapshot, options));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
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
}
