using Agentry.Core.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Tests.Models;

/// <summary>The real Anthropic SDK and OllamaSharp clients, through the registry and the agent loop, against fakes of their APIs.</summary>
public sealed class AnthropicAndOllamaProviderTests
{
    private const string Input = """{"topic":"tides","audience":"sailors"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Anthropic_RunsTheLoop_AgainstItsMessagesApi()
    {
        await using var server = new FakeModelServer();
        server.Then(FakeReplies.AnthropicText("Plan.")).Then(FakeReplies.AnthropicText("Done.")).Then(FakeReplies.AnthropicText("Report from Claude."));
        await using var host = new RemoteModelHost(new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-test-0123456789",
            ["ANTHROPIC_BASE_URL"] = server.BaseUri.ToString(),
        });

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "default"), Input, new RecordingEventSink()), Ct);

        outcome.ResultData.GetProperty("result").GetString().ShouldBe("Report from Claude.");
        outcome.Model.ShouldBe("claude-fake-1");
        outcome.Usage.InputTokens.ShouldBe(90);
        outcome.Usage.CostUsd.ShouldBe(((90 * 1m) + (21 * 5m)) / 1_000_000m);
        var request = server.Requests[0];
        request.Path.ShouldBe("/v1/messages");
        request.Headers.Values.ShouldContain(v => v.Contains("sk-ant-test-0123456789"), "the key is sent in a header");
        request.Json.GetProperty("model").GetString().ShouldBe("claude-haiku-4-5");
    }

    [Fact]
    public async Task Anthropic_RateLimit_IsRetried()
    {
        await using var server = new FakeModelServer();
        server.Then(FakeReply.Json(429, """{"type":"error","error":{"type":"rate_limit_error","message":"Slow down."}}""")).Then(FakeReplies.AnthropicText("Hi."));
        await using var host = new RemoteModelHost(new Dictionary<string, string?>
        {
            ["ANTHROPIC_API_KEY"] = "sk-ant-test-0123456789",
            ["ANTHROPIC_BASE_URL"] = server.BaseUri.ToString(),
        });

        var response = await host.Registry.Resolve("anthropic/default").Stack!.Client.GetResponseAsync("Hello", cancellationToken: Ct);

        response.Text.ShouldBe("Hi.");
        server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Ollama_RunsTheLoop_AgainstItsChatApi_AtOllamaHost()
    {
        await using var server = new FakeModelServer();
        server.Then(FakeReplies.OllamaText("Plan.")).Then(FakeReplies.OllamaText("Done.")).Then(FakeReplies.OllamaText("Report from Llama."));
        await using var host = new RemoteModelHost(new Dictionary<string, string?> { ["OLLAMA_HOST"] = $"127.0.0.1:{server.Port}" });

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "default"), Input, new RecordingEventSink()), Ct);

        outcome.ResultData.GetProperty("result").GetString().ShouldBe("Report from Llama.");
        outcome.Model.ShouldBe("llama-fake");
        outcome.Usage.InputTokens.ShouldBe(120);
        outcome.Usage.CostUsd.ShouldBe(0m);
        server.Requests[0].Path.ShouldBe("/api/chat");
        server.Requests[0].Json.GetProperty("model").GetString().ShouldBe("llama3.2");
    }
}
