using Agentry.Core.Agents;
using Agentry.Core.Events;
using Agentry.Core.Models;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Tests.Runtime;

public sealed class ContextCompressionTests
{
    private const string BriefingInput = """{"topic":"solar power","audience":"engineers"}""";
    private const string Plan = "1. Check the weather in four cities.\n2. Write it up.";
    private const string Summary = "Summary: Oslo was sunny; Bergen is next.";

    // A window of 1,000 tokens puts the threshold at 750; the fifth call reports 2,000 input tokens to cross it.
    private const int TinyWindow = 1_000;

    [Fact]
    public async Task Compression_TranscriptOverThreshold_SummarisesOlderTurnsAndRecordsTheEvent()
    {
        var client = WeatherScript(withSummary: true);
        var sink = new RecordingEventSink();

        var outcome = await Loop(client).ExecuteAsync(TestRuns.Context(Config(), BriefingInput, sink), TestContext.Current.CancellationToken);

        var compression = sink.Events.Single(e => e.Type == RunEventTypes.ContextCompression);
        var tokensBefore = compression.Data.GetProperty("tokensBefore").GetInt64();
        tokensBefore.ShouldBeGreaterThan(750);
        compression.Data.GetProperty("tokensAfter").GetInt64().ShouldBeLessThan(tokensBefore);
        compression.Data.GetProperty("summary").GetString().ShouldBe(Summary);

        // The summarising call is a model call like the others, reported just before the compression it produced.
        var summarising = sink.Events[compression.Seq - 2];
        summarising.Type.ShouldBe(RunEventTypes.ModelCall);
        summarising.Data.GetProperty("phase").GetString().ShouldBe("compression");
        summarising.Data.GetProperty("inputTokens").GetInt64().ShouldBe(30);
        sink.Types.Count(t => t == RunEventTypes.ModelCall).ShouldBe(8);
        sink.Types[^1].ShouldBe(RunEventTypes.Result);

        // The summarising request carries the old turns as text, and the offline model's structured view of them.
        var (summaryMessages, summaryOptions) = client.Requests[5];
        summaryMessages.Count.ShouldBe(2);
        summaryMessages[1].Text.ShouldContain("Check the weather in four cities");
        summaryMessages[1].Text.ShouldContain("sunny in Oslo");
        summaryOptions!.Tools.ShouldBeNull();
        var turn = AgentTurn.From(summaryOptions).ShouldNotBeNull();
        turn.Phase.ShouldBe(AgentPhase.Compression);
        turn.Transcript.Count.ShouldBe(5);

        // The next turn sees the pinned messages, the summary and the recent turns, not the old ones.
        var next = client.Requests[6].Messages;
        next[0].Role.ShouldBe(ChatRole.System);
        next[1].Text.ShouldContain("solar power");
        next[2].Text.ShouldContain(Summary);
        var nextText = string.Join("\n", next.Select(TranscriptCompressor.Render));
        nextText.ShouldNotContain("Check the weather in four cities");
        nextText.ShouldNotContain("sunny in Oslo");
        nextText.ShouldContain("sunny in Trondheim");
        AssertNoOrphanResults(next);

        outcome.Usage.ModelCalls.ShouldBe(8);
        outcome.Usage.InputTokens.ShouldBe(2_270);
        outcome.Usage.OutputTokens.ShouldBe(60);
        outcome.Usage.CostUsd.ShouldBe(((2_270m * 1m) + (60m * 2m)) / 1_000_000m);
        outcome.Usage.ToolCalls.ShouldBe(4);
    }

    [Fact]
    public async Task Compression_KeptTurnsStartAtAToolResult_KeepsItsCallWithIt()
    {
        var client = WeatherScript(withSummary: true);
        var sink = new RecordingEventSink();

        await Loop(client).ExecuteAsync(TestRuns.Context(Config(), BriefingInput, sink), TestContext.Current.CancellationToken);

        // Six recent messages would start at Bergen's result; its call comes along, so the kept turns start with it.
        var next = client.Requests[6].Messages;
        next[3].Contents.OfType<FunctionCallContent>().Single().CallId.ShouldBe("call_1");
        next[4].Role.ShouldBe(ChatRole.Tool);
        next[4].Contents.OfType<FunctionResultContent>().Single().CallId.ShouldBe("call_1");
        AssertNoOrphanResults(next);
    }

    [Fact]
    public void KeptFrom_BoundaryOnAToolResult_MovesBackToItsCall()
    {
        List<ChatMessage> transcript =
        [
            new(ChatRole.System, "system"),
            new(ChatRole.User, "goal"),
            new(ChatRole.User, "plan please"),
            new(ChatRole.Assistant, [new FunctionCallContent("a", "tool"), new FunctionCallContent("b", "tool")]),
            new(ChatRole.Tool, [new FunctionResultContent("a", "one"), new FunctionResultContent("b", "two")]),
        ];

        // A tail budget of one token keeps only the last message, which is a result: its call is kept too.
        TranscriptCompressor.KeptFrom(transcript, tailBudgetTokens: 1).ShouldBe(3);
    }

    [Fact]
    public async Task Compression_SummarisingCallCrossesMaxTokens_FailsWithBudgetExceededAtThatCall()
    {
        // Calls 1 to 5 use 4 × 15 + 2,005 = 2,065 tokens; the summarising call's 40 cross a limit of 2,070.
        var client = WeatherScript(withSummary: true);
        var sink = new RecordingEventSink();
        var config = Config() with { Limits = new RunLimits { MaxTokens = 2_070 } };

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => Loop(client).ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.BudgetExceeded);
        var summarising = sink.Events.Last(e => e.Type == RunEventTypes.ModelCall);
        summarising.Data.GetProperty("phase").GetString().ShouldBe("compression");
        failure.EventSeq.ShouldBe(summarising.Seq);
        sink.Usage.ModelCalls.ShouldBe(6);
        sink.Usage.TotalTokens.ShouldBe(2_105);
        sink.Types.ShouldNotContain(RunEventTypes.ContextCompression);
    }

    [Fact]
    public async Task Compression_Disabled_NoEventEvenOverTheThreshold()
    {
        var client = WeatherScript(withSummary: false);
        var sink = new RecordingEventSink();
        var config = Config() with { EnableContextCompression = false };

        var outcome = await Loop(client).ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken);

        sink.Types.ShouldNotContain(RunEventTypes.ContextCompression);
        sink.Events.Where(e => e.Type == RunEventTypes.ModelCall).ShouldAllBe(e => e.Data.GetProperty("phase").GetString() != "compression");
        outcome.Usage.ModelCalls.ShouldBe(7);
        client.Requests[5].Messages.Count.ShouldBe(14);
    }

    [Fact]
    public async Task Compression_EnabledUnderTheThreshold_EventsMatchARunWithoutIt()
    {
        var plain = new RecordingEventSink();
        var enabled = new RecordingEventSink();
        var loop = TestRuntime.Loop();

        await loop.ExecuteAsync(TestRuns.Context(TestRuns.Config(), BriefingInput, plain), TestContext.Current.CancellationToken);
        await loop.ExecuteAsync(
            TestRuns.Context(TestRuns.Config() with { EnableContextCompression = true }, BriefingInput, enabled),
            TestContext.Current.CancellationToken);

        enabled.Types.ShouldBe(plain.Types);
        enabled.Usage.ShouldBe(plain.Usage);
    }

    [Fact]
    public async Task Compression_OfflineModel_SummaryIsExtractiveAndDeterministic()
    {
        // 50 tokens: the offline transcript is past the threshold before the acting turn and again before the result.
        var loop = TestRuntime.Loop(configure: options => options.Stacks[ModelStackRegistry.OfflineStackId] = new ModelStackOptions { ContextWindowTokens = 50 });
        var config = TestRuns.Config() with { EnableContextCompression = true };
        var first = new RecordingEventSink();
        var second = new RecordingEventSink();

        var firstOutcome = await loop.ExecuteAsync(TestRuns.Context(config, BriefingInput, first), TestContext.Current.CancellationToken);
        var secondOutcome = await loop.ExecuteAsync(TestRuns.Context(config, BriefingInput, second), TestContext.Current.CancellationToken);

        var compressions = first.Events.Where(e => e.Type == RunEventTypes.ContextCompression).Select(e => e.Data.GetRawText()).ToList();
        compressions.ShouldNotBeEmpty();
        second.Events.Where(e => e.Type == RunEventTypes.ContextCompression).Select(e => e.Data.GetRawText()).ShouldBe(compressions);
        second.Types.ShouldBe(first.Types);
        secondOutcome.Usage.ShouldBe(firstOutcome.Usage);

        // The leading line of each summarised message: the planning instruction, then the plan's first step.
        var summary = first.Events.First(e => e.Type == RunEventTypes.ContextCompression).Data.GetProperty("summary").GetString()!;
        var lines = summary.Split('\n');
        lines.Length.ShouldBe(2);
        lines[0].ShouldStartWith("- user: Write a short numbered plan");
        lines[1].ShouldStartWith("- assistant: 1. Restate the goal:");
        firstOutcome.Usage.ModelCalls.ShouldBe(3 + compressions.Count);
    }

    private static AgentConfig Config() =>
        TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { EnableContextCompression = true };

    private static AgentLoop Loop(ScriptedChatClient client) =>
        TestRuntime.Loop(
            scripted: client,
            configure: options => options.Stacks[TestRuntime.ScriptedStackId].ContextWindowTokens = TinyWindow,
            tools: new StaticToolProvider(AIFunctionFactory.Create((string city) => $"sunny in {city}", "getWeather", "The weather in a city.")));

    // Plan, four acting turns with a tool call each (the third also narrates, in its own message), the summary when
    // asked for, a last acting turn without tools, and the result.
    private static ScriptedChatClient WeatherScript(bool withSummary)
    {
        var client = new ScriptedChatClient()
            .ThenText(Plan)
            .Then(Call("call_0", "Oslo"))
            .Then(Call("call_1", "Bergen"))
            .Then(Call("call_2", "Tromsø", narration: "Bergen is done; checking Tromsø."))
            .Then(Call("call_3", "Trondheim", inputTokens: 2_000));
        if (withSummary)
        {
            client.ThenText(Summary, inputTokens: 30, outputTokens: 10);
        }

        return client
            .ThenText("I have what I need.", inputTokens: 100)
            .ThenText("# Weather\n\nSunny.", inputTokens: 100, outputTokens: 20);
    }

    private static ChatResponse Call(string id, string city, long inputTokens = 10, string? narration = null)
    {
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(id, "getWeather", new Dictionary<string, object?> { ["city"] = city })]);
        List<ChatMessage> messages = narration is null ? [call] : [new ChatMessage(ChatRole.Assistant, narration), call];
        return new ChatResponse(messages)
        {
            ModelId = "scripted",
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = 5, TotalTokenCount = inputTokens + 5 },
        };
    }

    private static void AssertNoOrphanResults(IReadOnlyList<ChatMessage> messages)
    {
        var called = new HashSet<string>(StringComparer.Ordinal);
        foreach (var content in messages.SelectMany(m => m.Contents))
        {
            if (content is FunctionCallContent call)
            {
                called.Add(call.CallId);
            }
            else if (content is FunctionResultContent result)
            {
                called.ShouldContain(result.CallId);
            }
        }
    }

    private sealed class StaticToolProvider(params AIFunction[] tools) : IAgentToolProvider
    {
        public ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<AIFunction>>(tools);
    }
}
