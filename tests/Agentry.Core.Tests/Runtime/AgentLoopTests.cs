using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Agentry.JsonSchema;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Core.Tests.Runtime;

public sealed class AgentLoopTests
{
    private const string BriefingInput = """{"topic":"solar power","audience":"engineers"}""";

    private const string ReportSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["title", "status", "priority", "owner", "tags", "createdAt", "steps", "contact"],
          "additionalProperties": false,
          "properties": {
            "title": { "type": "string", "minLength": 3, "maxLength": 40 },
            "status": { "enum": ["draft", "final"] },
            "priority": { "type": "integer", "minimum": 1, "maximum": 5 },
            "score": { "type": "number", "exclusiveMinimum": 0, "maximum": 1 },
            "owner": { "$ref": "#/$defs/person" },
            "tags": { "type": "array", "items": { "type": "string" }, "minItems": 2, "uniqueItems": true },
            "createdAt": { "type": "string", "format": "date-time" },
            "id": { "type": "string", "format": "uuid" },
            "steps": {
              "type": "array",
              "minItems": 2,
              "items": {
                "type": "object",
                "required": ["order", "done", "kind"],
                "properties": {
                  "order": { "type": "integer", "minimum": 1 },
                  "done": { "type": "boolean" },
                  "kind": { "enum": ["research", "write", "review"] }
                }
              }
            },
            "contact": { "anyOf": [ { "type": "null" }, { "type": "string", "format": "email" } ] },
            "audience": { "type": "string" },
            "topic": { "type": "string" }
          },
          "$defs": {
            "person": {
              "type": "object",
              "required": ["name", "email"],
              "properties": {
                "name": { "type": "string", "maxLength": 20 },
                "email": { "type": "string", "format": "email" },
                "website": { "type": "string", "format": "uri" }
              }
            }
          }
        }
        """;

    private const string SimpleSchema = """{"type":"object","required":["answer"],"properties":{"answer":{"type":"string"}}}""";

    [Fact]
    public async Task DocumentRun_Offline_ReportsPlanningActingModelCallsAndResult_InOrder()
    {
        var sink = new RecordingEventSink();
        var outcome = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(TestRuns.Config(), BriefingInput, sink), TestContext.Current.CancellationToken);

        sink.Types.ShouldBe([
            RunEventTypes.ModelCall, RunEventTypes.Planning,
            RunEventTypes.ModelCall, RunEventTypes.Narration,
            RunEventTypes.ModelCall, RunEventTypes.Result]);

        var modelCalls = sink.Events.Where(e => e.Type == RunEventTypes.ModelCall).ToList();
        modelCalls.ShouldAllBe(e => e.WasInProgress && !e.InProgress);
        foreach (var call in modelCalls)
        {
            call.Data.GetProperty("model").GetString().ShouldBe("local/offline");
            call.Data.GetProperty("inputTokens").GetInt64().ShouldBeGreaterThan(0);
            call.Data.GetProperty("outputTokens").GetInt64().ShouldBeGreaterThan(0);
            call.Data.GetProperty("costUsd").GetDecimal().ShouldBe(0m);
            call.Data.GetProperty("finishReason").GetString().ShouldBe("stop");
            call.Data.TryGetProperty("durationMs", out _).ShouldBeTrue();

            // Created in progress, then completed in place: two changes with the same seq, the completion later.
            var changes = sink.Changes.Select((c, position) => (c, position)).Where(x => x.c.Seq == call.Seq).ToList();
            changes.Count.ShouldBe(2);
            changes[0].c.Completion.ShouldBeFalse();
            changes[0].c.Data.GetProperty("model").GetString().ShouldBe("local/offline");
            changes[1].c.Completion.ShouldBeTrue();
        }

        var plan = sink.Events.Single(e => e.Type == RunEventTypes.Planning).Data.GetProperty("content").GetString()!;
        plan.ShouldStartWith("1. ");
        plan.ShouldContain("solar power");
        sink.Events.Single(e => e.Type == RunEventTypes.Narration).Data.GetProperty("content").GetString().ShouldNotBeNullOrWhiteSpace();
        sink.Events[^1].Data.GetProperty("resultType").GetString().ShouldBe("document");

        outcome.Model.ShouldBe("local/offline");
        outcome.Usage.ModelCalls.ShouldBe(3);
        outcome.Usage.ToolCalls.ShouldBe(0);
        outcome.Usage.TotalTokens.ShouldBe(outcome.Usage.InputTokens + outcome.Usage.OutputTokens);
        sink.UsageReports.Count.ShouldBe(3);
        sink.Usage.ShouldBe(outcome.Usage);
    }

    [Fact]
    public async Task DocumentRun_Offline_ResultIsMarkdownFromGoalAndInput_WithoutSources()
    {
        var sink = new RecordingEventSink();
        var outcome = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(TestRuns.Config(), BriefingInput, sink), TestContext.Current.CancellationToken);

        var markdown = outcome.ResultData.GetProperty("result").GetString()!;
        markdown.ShouldStartWith("# solar power");
        markdown.ShouldContain("Write a briefing about solar power for engineers.");
        markdown.ShouldContain("- **Audience**: engineers");
        markdown.ShouldContain("## ");
        markdown.ShouldNotContain("## Sources");
        markdown.ShouldNotContain("[1]");
        outcome.ResultData.GetProperty("sources").GetArrayLength().ShouldBe(0);
        outcome.Sources.ShouldBeEmpty();
    }

    [Fact]
    public async Task JsonRun_Offline_ResultIsValidAgainstANonTrivialSchema_AndUsesTheInput()
    {
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(goalPrompt: "Plan a report on {{topic}}.", resultType: ResultType.Json, resultSchema: ReportSchema);
        var input = """{"topic":"solar power","audience":"engineers","priority":3,"tags":["energy","solar"]}""";

        var outcome = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, input, sink), TestContext.Current.CancellationToken);

        var result = outcome.ResultData;
        var validation = JsonSchemaCompiler.Compile(TestRuns.Json(ReportSchema), new JsonSchemaOptions { FormatAssertion = true }).Validate(result);
        validation.Errors.ShouldBeEmpty();
        result.GetProperty("priority").GetInt32().ShouldBe(3);
        result.GetProperty("audience").GetString().ShouldBe("engineers");
        result.GetProperty("topic").GetString().ShouldBe("solar power");
        result.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ShouldBe(["energy", "solar"]);
        new[] { "draft", "final" }.ShouldContain(result.GetProperty("status").GetString());
        result.GetProperty("title").GetString()!.Length.ShouldBeInRange(3, 40);
        DateTimeOffset.TryParse(result.GetProperty("createdAt").GetString(), out _).ShouldBeTrue();
        result.GetProperty("owner").GetProperty("email").GetString()!.ShouldContain('@');
        result.GetProperty("owner").GetProperty("name").GetString()!.Length.ShouldBeLessThanOrEqualTo(20);
        var steps = result.GetProperty("steps").EnumerateArray().ToList();
        steps.Count.ShouldBe(2);
        steps.ShouldAllBe(s => s.GetProperty("order").GetInt32() >= 1);
        steps.Select(s => s.GetProperty("kind").GetString()).Distinct().Count().ShouldBe(2);
        result.GetProperty("contact").GetString()!.ShouldContain('@');
        sink.Types.Count(t => t == RunEventTypes.ModelCall).ShouldBe(3);
        sink.Events[^1].Data.GetProperty("resultType").GetString().ShouldBe("json");
    }

    [Fact]
    public async Task JsonRun_InvalidThenValidAnswer_RepairsOnceWithTheProblems()
    {
        var client = new ScriptedChatClient()
            .ThenText("1. Answer.")
            .ThenText("Answering.")
            .ThenText("this is not JSON")
            .ThenText("""{"answer":"42"}""");
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId, resultType: ResultType.Json, resultSchema: SimpleSchema);

        var outcome = await TestRuntime.Loop(scripted: client).ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken);

        outcome.ResultData.GetProperty("answer").GetString().ShouldBe("42");
        client.Requests.Count.ShouldBe(4);
        var repair = client.Requests[3];
        repair.Options!.ResponseFormat.ShouldBeOfType<ChatResponseFormatJson>().Schema.ShouldNotBeNull();
        repair.Messages[^2].Role.ShouldBe(ChatRole.Assistant);
        repair.Messages[^2].Text.ShouldBe("this is not JSON");
        repair.Messages[^1].Text.ShouldContain("not valid JSON");
        outcome.Usage.ModelCalls.ShouldBe(4);
        sink.Types.ShouldNotContain(RunEventTypes.Error);
    }

    [Fact]
    public async Task JsonRun_SchemaViolationThenValid_RepairTurnNamesTheViolation()
    {
        var client = new ScriptedChatClient()
            .ThenText("1. Answer.")
            .ThenText("Answering.")
            .ThenText("""{"other":1}""")
            .ThenText("""{"answer":"42"}""");
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId, resultType: ResultType.Json, resultSchema: SimpleSchema);

        var outcome = await TestRuntime.Loop(scripted: client).ExecuteAsync(TestRuns.Context(config, "{}", new RecordingEventSink()), TestContext.Current.CancellationToken);

        outcome.ResultData.GetProperty("answer").GetString().ShouldBe("42");
        client.Requests[3].Messages[^1].Text.ShouldContain("answer");
    }

    [Fact]
    public async Task JsonRun_TwoInvalidAnswers_FailsWithInvalidResultAndKeepsTheOutputInAnErrorEvent()
    {
        var client = new ScriptedChatClient()
            .ThenText("1. Answer.")
            .ThenText("Answering.")
            .ThenText("not JSON")
            .ThenText("still not JSON");
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId, resultType: ResultType.Json, resultSchema: SimpleSchema);

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop(scripted: client).ExecuteAsync(TestRuns.Context(config, "{}", sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.InvalidResult);
        failure.Message.ShouldContain("not valid JSON");
        var error = sink.Events[^1];
        error.Type.ShouldBe(RunEventTypes.Error);
        failure.EventSeq.ShouldBe(error.Seq);
        error.Data.GetProperty("code").GetString().ShouldBe(RunErrorCodes.InvalidResult);
        error.Data.GetProperty("detail").GetProperty("output").GetString().ShouldBe("still not JSON");
        sink.Types.ShouldNotContain(RunEventTypes.Result);
        sink.Usage.ModelCalls.ShouldBe(4);
    }

    [Fact]
    public async Task Run_MaxStepsReached_FailsWithBudgetExceeded()
    {
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(limits: new RunLimits { MaxSteps = 2 });

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.BudgetExceeded);
        failure.Message.ShouldContain("2 steps");
        sink.Usage.ModelCalls.ShouldBe(2);
        sink.Types.ShouldNotContain(RunEventTypes.Result);
    }

    [Fact]
    public async Task Run_MaxTokensCrossed_FailsAtTheModelCallThatCrossedIt()
    {
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(limits: new RunLimits { MaxTokens = 10 });

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.BudgetExceeded);
        failure.Message.ShouldContain("limit of 10");
        var firstModelCall = sink.Events.First(e => e.Type == RunEventTypes.ModelCall);
        failure.EventSeq.ShouldBe(firstModelCall.Seq);
        firstModelCall.InProgress.ShouldBeFalse();
        sink.Usage.ModelCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Run_MaxCostCrossed_FailsWithBudgetExceeded_CostFromStackPrices()
    {
        var client = new ScriptedChatClient().ThenText("1. Plan.", inputTokens: 1_000_000, outputTokens: 500_000);
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId, limits: new RunLimits { MaxCostUsd = 1.5m });

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop(scripted: client).ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.BudgetExceeded);
        sink.Usage.CostUsd.ShouldBe(2m); // 1M input at $1/M + 0.5M output at $2/M
        sink.Events.Single(e => e.Type == RunEventTypes.ModelCall).Data.GetProperty("costUsd").GetDecimal().ShouldBe(2m);
    }

    [Fact]
    public async Task Run_UnknownModelStack_FailsWithModelUnavailableNamingTheStack()
    {
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: "nowhere/none");

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.ModelUnavailable);
        failure.Message.ShouldContain("nowhere/none");
        sink.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_ConfiguredToolNoProviderOffers_FailsWithToolUnavailableNamingIt()
    {
        var sink = new RecordingEventSink();
        var config = TestRuns.Config() with
        {
            Tools = [new ToolSpec { Source = "builtin", Type = "searchWeb" }, new ToolSpec { Source = "mcp", ServerId = "files", EnabledTools = ["readFile"] }],
        };

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.ToolUnavailable);
        failure.Message.ShouldContain("'searchWeb'");
        failure.Message.ShouldContain("'readFile' of MCP server 'files'");
        sink.Events.ShouldBeEmpty();
    }

    [Fact]
    public async Task Run_ConfiguredToolThatAProviderOffers_Runs()
    {
        var tools = new StaticToolProvider(AIFunctionFactory.Create((string query) => "results", "searchWeb", "Searches the web."));
        var config = TestRuns.Config() with { Tools = [new ToolSpec { Source = "builtin", Type = "searchWeb" }] };

        var outcome = await TestRuntime.Loop(tools: tools).ExecuteAsync(TestRuns.Context(config, BriefingInput, new RecordingEventSink()), TestContext.Current.CancellationToken);

        outcome.ResultData.ValueKind.ShouldBe(JsonValueKind.Object);
    }

    [Fact]
    public async Task Run_DefaultAlias_RunsOnTheOfflineStack()
    {
        var sink = new RecordingEventSink();
        var outcome = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "default"), BriefingInput, sink), TestContext.Current.CancellationToken);

        outcome.Model.ShouldBe("local/offline");
    }

    [Fact]
    public async Task Run_CancelledDuringASlowStep_StopsPromptlyAndClosesTheModelCall()
    {
        // Fake time never advances, so the offline-slow stack's 400 ms step would wait forever without cancellation.
        var time = new FakeTimeProvider(TestRuns.Epoch);
        var sink = new RecordingEventSink();
        using var cancellation = new CancellationTokenSource();
        var run = TestRuntime.Loop(time).ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "local/offline-slow"), BriefingInput, sink), cancellation.Token);

        run.IsCompleted.ShouldBeFalse();
        sink.Events.Single().InProgress.ShouldBeTrue();
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        var modelCall = sink.Events.Single();
        modelCall.InProgress.ShouldBeFalse();
        modelCall.Data.GetProperty("finishReason").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task Run_SlowStack_AdvancingTimeCompletesTheRun()
    {
        var time = new FakeTimeProvider(TestRuns.Epoch);
        var sink = new RecordingEventSink();
        var run = TestRuntime.Loop(time).ExecuteAsync(TestRuns.Context(TestRuns.Config(modelStackId: "local/offline-slow"), BriefingInput, sink), TestContext.Current.CancellationToken);

        for (var i = 0; i < 10 && !run.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(400));
            await Task.Yield();
        }

        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        outcome.Usage.ModelCalls.ShouldBe(3);
        sink.Events.Where(e => e.Type == RunEventTypes.ModelCall).ShouldAllBe(e => e.Data.GetProperty("durationMs").GetInt64() == 400);
    }

    [Fact]
    public async Task Run_ModelCallThrows_FailsWithModelErrorAtThatModelCall()
    {
        var client = new ScriptedChatClient().Then((_, _) => throw new HttpRequestException("connection refused"));
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId);

        var failure = await Should.ThrowAsync<RunFailedException>(
            () => TestRuntime.Loop(scripted: client).ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken));

        failure.Code.ShouldBe(RunErrorCodes.ModelError);
        failure.Message.ShouldContain("connection refused");
        var modelCall = sink.Events.Single();
        failure.EventSeq.ShouldBe(modelCall.Seq);
        modelCall.InProgress.ShouldBeFalse();
        modelCall.Data.GetProperty("error").GetString().ShouldBe("connection refused");
    }

    [Fact]
    public async Task Run_ModelAsksForTools_ToolCallEventsCarryInputAndOutput_ReasoningAndNarrationInOrder()
    {
        var client = new ScriptedChatClient()
            .ThenText("1. Look it up.")
            .Then(new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [
                new TextReasoningContent("The user wants the weather."),
                new TextContent("Let me check the weather."),
                new FunctionCallContent("call_1", "getWeather", new Dictionary<string, object?> { ["city"] = "Oslo" }),
                new FunctionCallContent("call_2", "missingTool", new Dictionary<string, object?>()),
            ])) { ModelId = "scripted", FinishReason = ChatFinishReason.ToolCalls })
            .Then((messages, _) =>
            {
                var results = messages[^1].Contents.OfType<FunctionResultContent>().ToList();
                results.Count.ShouldBe(2);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "It is sunny in Oslo.")) { ModelId = "scripted", FinishReason = ChatFinishReason.Stop };
            })
            .ThenText("# Weather\n\nSunny.");
        var tools = new StaticToolProvider(AIFunctionFactory.Create((string city) => $"sunny in {city}", "getWeather", "The weather in a city."));
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId);

        var outcome = await TestRuntime.Loop(scripted: client, tools: tools).ExecuteAsync(TestRuns.Context(config, BriefingInput, sink), TestContext.Current.CancellationToken);

        sink.Types.ShouldBe([
            RunEventTypes.ModelCall, RunEventTypes.Planning,
            RunEventTypes.ModelCall, RunEventTypes.Reasoning, RunEventTypes.Narration, RunEventTypes.ToolCall, RunEventTypes.ToolCall,
            RunEventTypes.ModelCall, RunEventTypes.Narration,
            RunEventTypes.ModelCall, RunEventTypes.Result]);
        var calls = sink.Events.Where(e => e.Type == RunEventTypes.ToolCall).ToList();
        calls.ShouldAllBe(c => c.WasInProgress && !c.InProgress);
        calls[0].Data.GetProperty("id").GetString().ShouldBe("call_1");
        calls[0].Data.GetProperty("name").GetString().ShouldBe("getWeather");
        calls[0].Data.GetProperty("input").GetProperty("city").GetString().ShouldBe("Oslo");
        calls[0].Data.GetProperty("output").GetString().ShouldBe("sunny in Oslo");
        calls[1].Data.GetProperty("error").GetString()!.ShouldContain("missingTool");
        sink.Events[3].Data.GetProperty("content").GetString().ShouldBe("The user wants the weather.");
        sink.Events[4].Data.GetProperty("content").GetString().ShouldBe("Let me check the weather.");
        client.Requests[1].Options!.Tools!.Select(t => t.Name).ShouldBe(["getWeather"]);
        client.Requests[3].Options!.Tools.ShouldBeNull();
        outcome.Usage.ToolCalls.ShouldBe(2);
        outcome.Usage.ModelCalls.ShouldBe(4);
        outcome.ResultData.GetProperty("result").GetString().ShouldBe("# Weather\n\nSunny.");
    }

    [Fact]
    public async Task Run_CustomInstructions_ReachTheirPhases()
    {
        var client = new ScriptedChatClient().ThenText("1. Plan.").ThenText("Acting.").ThenText("# Done");
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with
        {
            CustomPlanningInstructions = "PLAN-IN-THREE",
            CustomToolCallInstructions = "PREFER-OFFICIAL-SOURCES",
            CustomResultInstructions = "USE-BULLETS",
        };

        await TestRuntime.Loop(scripted: client).ExecuteAsync(TestRuns.Context(config, BriefingInput, new RecordingEventSink()), TestContext.Current.CancellationToken);

        client.Requests[0].Messages[0].Role.ShouldBe(ChatRole.System);
        client.Requests[0].Messages[0].Text.ShouldContain("PREFER-OFFICIAL-SOURCES");
        client.Requests[0].Messages[1].Text.ShouldContain("Write a briefing about solar power for engineers.");
        client.Requests[0].Messages[^1].Text.ShouldContain("PLAN-IN-THREE");
        client.Requests[2].Messages[^1].Text.ShouldContain("USE-BULLETS");
        AgentTurn.From(client.Requests[2].Options)!.Phase.ShouldBe(AgentPhase.Result);
    }

    [Fact]
    public async Task Run_SameInputTwice_ProducesTheSameResultAndEvents()
    {
        var config = TestRuns.Config(resultType: ResultType.Json, resultSchema: ReportSchema);
        var first = new RecordingEventSink();
        var second = new RecordingEventSink();

        var a = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, BriefingInput, first), TestContext.Current.CancellationToken);
        var b = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(config, BriefingInput, second), TestContext.Current.CancellationToken);

        JsonSerializer.Serialize(a.ResultData).ShouldBe(JsonSerializer.Serialize(b.ResultData));
        a.Usage.ShouldBe(b.Usage);
        first.Events.Select(e => (e.Type, JsonSerializer.Serialize(e.Data))).ShouldBe(second.Events.Select(e => (e.Type, JsonSerializer.Serialize(e.Data))));
    }

    [Fact]
    public async Task Run_ResumedWithEarlierUsage_AddsToIt()
    {
        var sink = new RecordingEventSink(new RunUsage(100, 50, 150, 0m, 2, 0), "local/offline");

        var outcome = await TestRuntime.Loop().ExecuteAsync(TestRuns.Context(TestRuns.Config(), BriefingInput, sink), TestContext.Current.CancellationToken);

        outcome.Usage.ModelCalls.ShouldBe(5);
        outcome.Usage.InputTokens.ShouldBeGreaterThan(100);
    }

    private sealed class StaticToolProvider(params AIFunction[] tools) : IAgentToolProvider
    {
        public ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<AIFunction>>(tools);
    }
}
