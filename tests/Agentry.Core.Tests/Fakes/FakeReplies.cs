using System.Text.Json;

namespace Agentry.Core.Tests.Fakes;

/// <summary>Answers in the shapes of the OpenAI, Anthropic and Ollama chat APIs, for <see cref="FakeModelServer"/>.</summary>
public static class FakeReplies
{
    public const string OpenAIModel = "gpt-fake-2026-01-01";

    public static FakeReply OpenAIText(string text, int promptTokens = 100, int completionTokens = 20) => FakeReply.Json(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion",
        created = 1_767_225_600,
        model = OpenAIModel,
        choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
        usage = new { prompt_tokens = promptTokens, completion_tokens = completionTokens, total_tokens = promptTokens + completionTokens },
    }));

    public static FakeReply OpenAIToolCall(string callId, string name, string arguments) => FakeReply.Json(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-fake-tool",
        @object = "chat.completion",
        created = 1_767_225_600,
        model = OpenAIModel,
        choices = new[]
        {
            new
            {
                index = 0,
                message = new
                {
                    role = "assistant",
                    content = (string?)null,
                    tool_calls = new[] { new { id = callId, type = "function", function = new { name, arguments } } },
                },
                finish_reason = "tool_calls",
            },
        },
        usage = new { prompt_tokens = 50, completion_tokens = 10, total_tokens = 60 },
    }));

    /// <summary>A chat completion streamed as server-sent events, one delta per piece of <paramref name="pieces"/>.</summary>
    public static FakeReply OpenAIStream(params string[] pieces)
    {
        var chunks = new List<string>();
        foreach (var piece in pieces)
        {
            chunks.Add($"data: {JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_767_225_600, model = OpenAIModel, choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = (string?)null } } })}\n\n");
        }

        chunks.Add($"data: {JsonSerializer.Serialize(new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_767_225_600, model = OpenAIModel, choices = new[] { new { index = 0, delta = new { }, finish_reason = "stop" } } })}\n\n");
        chunks.Add("data: [DONE]\n\n");
        return new FakeReply(200, string.Empty, "text/event-stream") { Chunks = chunks };
    }

    public static FakeReply OpenAIError(int status, string message, string type = "invalid_request_error") =>
        FakeReply.Json(status, JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code = (string?)null } }));

    public static FakeReply AnthropicText(string text, string model = "claude-fake-1") => FakeReply.Json(200, JsonSerializer.Serialize(new
    {
        id = "msg_fake",
        type = "message",
        role = "assistant",
        model,
        content = new[] { new { type = "text", text } },
        stop_reason = "end_turn",
        stop_sequence = (string?)null,
        usage = new { input_tokens = 30, output_tokens = 7 },
    }));

    public static FakeReply OllamaText(string text, string model = "llama-fake") => FakeReply.Json(200, JsonSerializer.Serialize(new
    {
        model,
        created_at = "2026-01-01T00:00:00Z",
        message = new { role = "assistant", content = text },
        done = true,
        done_reason = "stop",
        prompt_eval_count = 40,
        eval_count = 9,
    }) + "\n");

    public static FakeReply WithHeader(this FakeReply reply, string name, string value) =>
        reply with { Headers = new Dictionary<string, string>(reply.Headers) { [name] = value } };
}
