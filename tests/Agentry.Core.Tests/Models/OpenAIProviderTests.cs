using System.Diagnostics;
using Agentry.Core.Agents;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Tests.Models;

/// <summary>The real OpenAI client, through the real registry and agent loop, against a scripted OpenAI-compatible server.</summary>
public sealed class OpenAIProviderTests : IAsyncLifetime
{
    private const string Key = "sk-test-0123456789abcdefSECRET";
    private const string Input = """{"topic":"tides","audience":"sailors"}""";

    private readonly FakeModelServer _server = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task PlainText_RunsTheLoop_RecordsTheProvidersModel_AndCostsAtTheStacksPrices()
    {
        _server.Then(FakeReplies.OpenAIText("Plan: explain tides.")).Then(FakeReplies.OpenAIText("Tides follow the moon.")).Then(FakeReplies.OpenAIText("# Tides\nThey follow the moon."));
        await using var host = Host();
        var sink = new RecordingEventSink();

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "default"), Input, sink), Ct);

        outcome.ResultData.GetProperty("result").GetString().ShouldBe("# Tides\nThey follow the moon.");
        outcome.Model.ShouldBe(FakeReplies.OpenAIModel);
        outcome.Usage.ModelCalls.ShouldBe(3);
        outcome.Usage.InputTokens.ShouldBe(300);
        outcome.Usage.OutputTokens.ShouldBe(60);
        outcome.Usage.CostUsd.ShouldBe(((300 * 0.15m) + (60 * 0.60m)) / 1_000_000m);
        var requests = _server.Requests;
        requests.Count.ShouldBe(3);
        requests.ShouldAllBe(r => r.Path == "/v1/chat/completions" && r.Headers["Authorization"] == $"Bearer {Key}");
        requests[0].Json.GetProperty("model").GetString().ShouldBe("gpt-4o-mini");
        sink.Events.Where(e => e.Type == RunEventTypes.ModelCall).ShouldAllBe(e => e.Data.GetProperty("model").GetString() == FakeReplies.OpenAIModel);
    }

    [Fact]
    public async Task ToolCalls_AreExecuted_AndTheirResultsSentBack()
    {
        _server
            .Then(FakeReplies.OpenAIText("Plan: look it up."))
            .Then(FakeReplies.OpenAIToolCall("call_1", "getWeather", """{"city":"Oslo"}"""))
            .Then(FakeReplies.OpenAIText("It is sunny."))
            .Then(FakeReplies.OpenAIText("Sunny in Oslo."));
        var weather = AIFunctionFactory.Create((string city) => $"sunny in {city}", "getWeather", "The weather in a city.");
        await using var host = Host(tools: weather);
        var sink = new RecordingEventSink();

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "openai/default"), Input, sink), Ct);

        outcome.Usage.ToolCalls.ShouldBe(1);
        var toolEvent = sink.Events.Single(e => e.Type == RunEventTypes.ToolCall);
        toolEvent.Data.GetProperty("input").GetProperty("city").GetString().ShouldBe("Oslo");
        toolEvent.Data.GetProperty("output").GetString().ShouldBe("sunny in Oslo");
        var offered = _server.Requests[1].Json.GetProperty("tools")[0].GetProperty("function");
        offered.GetProperty("name").GetString().ShouldBe("getWeather");
        var sentBack = _server.Requests[2].Json.GetProperty("messages").EnumerateArray().Last();
        sentBack.GetProperty("role").GetString().ShouldBe("tool");
        sentBack.GetProperty("tool_call_id").GetString().ShouldBe("call_1");
        sentBack.GetProperty("content").ToString().ShouldContain("sunny in Oslo");
    }

    [Fact]
    public async Task MalformedToolArguments_BecomeAToolError_AndTheRunGoesOn()
    {
        _server
            .Then(FakeReplies.OpenAIText("Plan."))
            .Then(FakeReplies.OpenAIToolCall("call_bad", "getWeather", """{"city": "Os"""))
            .Then(FakeReplies.OpenAIText("The tool failed; answering without it."))
            .Then(FakeReplies.OpenAIText("No weather today."));
        var weather = AIFunctionFactory.Create((string city) => $"sunny in {city}", "getWeather", "The weather in a city.");
        await using var host = Host(tools: weather);
        var sink = new RecordingEventSink();

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "openai/default"), Input, sink), Ct);

        outcome.ResultData.GetProperty("result").GetString().ShouldBe("No weather today.");
        var toolEvent = sink.Events.Single(e => e.Type == RunEventTypes.ToolCall);
        toolEvent.InProgress.ShouldBeFalse();
        toolEvent.Data.TryGetProperty("error", out _).ShouldBeTrue();
        _server.Requests[2].Json.GetProperty("messages").EnumerateArray().Last().GetProperty("role").GetString().ShouldBe("tool");
    }

    [Fact]
    public async Task TooManyRequests_IsRetried_AfterTheWaitRetryAfterAsks()
    {
        _server
            .Then(FakeReplies.OpenAIError(429, "Rate limit reached.", "rate_limit_error").WithHeader("Retry-After", "1"))
            .Then(FakeReplies.OpenAIText("Plan."))
            .Then(FakeReplies.OpenAIText("Done."))
            .Then(FakeReplies.OpenAIText("Report."));
        await using var host = Host();
        var watch = Stopwatch.StartNew();

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "openai/default"), Input, new RecordingEventSink()), Ct);

        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950));
        outcome.ResultData.GetProperty("result").GetString().ShouldBe("Report.");
        _server.Requests.Count.ShouldBe(4);
        outcome.Usage.ModelCalls.ShouldBe(3);
    }

    [Fact]
    public async Task ServerErrorsAndDroppedConnections_AreRetried()
    {
        _server
            .Then(FakeReplies.OpenAIError(500, "The server had an error.", "server_error"))
            .Then(FakeReply.Dropped())
            .Then(FakeReplies.OpenAIText("Plan."))
            .Then(FakeReplies.OpenAIText("Done."))
            .Then(FakeReplies.OpenAIText("Report."));
        await using var host = Host();

        var outcome = await host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "openai/default"), Input, new RecordingEventSink()), Ct);

        outcome.ResultData.GetProperty("result").GetString().ShouldBe("Report.");
        _server.Requests.Count.ShouldBe(5);
    }

    [Fact]
    public async Task BadRequest_IsNotRetried_AndEndsTheRunWithTheProvidersMessage_WithoutTheKey()
    {
        _server.Then(FakeReplies.OpenAIError(400, $"Invalid 'messages': rejected for key {Key} (Authorization: Bearer {Key})."));
        await using var host = Host();
        var sink = new RecordingEventSink();

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "openai/default"), Input, sink), Ct));

        _server.Requests.Count.ShouldBe(1);
        failure.Code.ShouldBe(RunErrorCodes.ModelError);
        failure.Message.ShouldContain("HTTP 400");
        failure.Message.ShouldContain("Invalid 'messages'");
        failure.Message.ShouldNotContain(Key);
        failure.Message.ShouldNotContain("0123456789abcdef");
        var modelCall = sink.Events.Single(e => e.Type == RunEventTypes.ModelCall);
        modelCall.Data.GetProperty("error").GetString()!.ShouldContain("Invalid 'messages'");
        modelCall.Data.ToString().ShouldNotContain(Key);
        failure.EventSeq.ShouldBe(modelCall.Seq);
    }

    [Fact]
    public async Task SlowResponse_IsAbandonedWithinASecondOfCancellation()
    {
        _server.Then(FakeReplies.OpenAIText("Too late.") with { Delay = TimeSpan.FromSeconds(30) });
        await using var host = Host();
        var sink = new RecordingEventSink();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var run = host.Runtime.ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "openai/default"), Input, sink), cancellation.Token);
        while (_server.Requests.Count == 0)
        {
            await Task.Delay(10, Ct);
        }

        var watch = Stopwatch.StartNew();
        await cancellation.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => run);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
        var modelCall = sink.Events.Single(e => e.Type == RunEventTypes.ModelCall);
        modelCall.InProgress.ShouldBeFalse();
        modelCall.Data.GetProperty("finishReason").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task JsonResults_AskForTheResultSchemaAsStructuredOutput()
    {
        const string schema = """{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";
        _server.Then(FakeReplies.OpenAIText("Plan.")).Then(FakeReplies.OpenAIText("Done.")).Then(FakeReplies.OpenAIText("""{"answer":"high tide at noon"}"""));
        await using var host = Host();

        var outcome = await host.Runtime.ExecuteAsync(
            TestRuns.Context(TestRuns.Config(modelStackId: "openai/default", resultType: ResultType.Json, resultSchema: schema), Input, new RecordingEventSink()),
            Ct);

        outcome.ResultData.GetProperty("answer").GetString().ShouldBe("high tide at noon");
        var format = _server.Requests[2].Json.GetProperty("response_format");
        format.GetProperty("type").GetString().ShouldBe("json_schema");
        format.GetProperty("json_schema").GetProperty("schema").GetProperty("required")[0].GetString().ShouldBe("answer");
        _server.Requests[0].Json.TryGetProperty("response_format", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task StreamedDeltas_ArriveThroughTheStacksClient_AndAFailureBeforeTheFirstIsRetried()
    {
        _server.Then(FakeReplies.OpenAIError(503, "Overloaded.", "server_error")).Then(FakeReplies.OpenAIStream("Hel", "lo ", "sailors"));
        await using var host = Host();
        var client = host.Registry.Resolve("openai/default").Stack!.Client;

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Say hello.", cancellationToken: Ct))
        {
            updates.Add(update);
        }

        updates.Count(u => u.Text.Length > 0).ShouldBe(3);
        var response = updates.ToChatResponse();
        response.Text.ShouldBe("Hello sailors");
        response.ModelId.ShouldBe(FakeReplies.OpenAIModel);
        _server.Requests.Count.ShouldBe(2);
        _server.Requests[1].Json.GetProperty("stream").GetBoolean().ShouldBeTrue();
    }

    private RemoteModelHost Host(params AIFunction[] tools) => new(
        new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = Key,
            ["OPENAI_BASE_URL"] = new Uri(_server.BaseUri, "v1").ToString(),
        },
        timeProvider: null,
        tools);
}
