using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Models.Offline;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Agentry.JsonSchema;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Core.Tests.Models;

public sealed class OfflineChatClientTests
{
    private static readonly JsonElement Input = TestRuns.Json("""{"topic":"tidal energy","depth":2,"regions":["Norway","Wales"]}""");

    [Fact]
    public async Task Planning_WritesANumberedPlanFromTheGoalAndInput()
    {
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "plan")], Options(AgentPhase.Planning), TestContext.Current.CancellationToken);

        var lines = response.Text.Split('\n');
        lines.Length.ShouldBeGreaterThanOrEqualTo(3);
        lines.Select((line, i) => line.StartsWith($"{i + 1}. ", StringComparison.Ordinal)).ShouldAllBe(numbered => numbered);
        response.Text.ShouldContain("Research tidal energy");
        response.Text.ShouldContain("topic, depth, regions");
        response.ModelId.ShouldBe("local/offline");
        response.FinishReason.ShouldBe(ChatFinishReason.Stop);
    }

    [Fact]
    public async Task Acting_NarratesWithoutCallingTools()
    {
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "act")], Options(AgentPhase.Acting), TestContext.Current.CancellationToken);

        response.Text.ShouldContain("tidal energy");
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ShouldBeEmpty();
    }

    [Fact]
    public async Task DocumentResult_IsMarkdownWithTitleSectionsAndInputValues()
    {
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "write")], Options(AgentPhase.Result), TestContext.Current.CancellationToken);

        response.Text.ShouldStartWith("# tidal energy\n");
        response.Text.ShouldContain("## Summary");
        response.Text.ShouldContain("- **Regions**: Norway, Wales");
        response.Text.ShouldContain("- **Depth**: 2");
        response.Text.ShouldNotContain("## Sources");
    }

    [Fact]
    public async Task DocumentResult_WithSources_CitesThem()
    {
        using var client = Client();
        var sources = new[] { new RunSource("https://example.org/tides", "Tides explained") };

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "write")], Options(AgentPhase.Result, sources: sources), TestContext.Current.CancellationToken);

        response.Text.ShouldContain("[1]");
        response.Text.ShouldContain("## Sources");
        response.Text.ShouldContain("1. [Tides explained](https://example.org/tides)");
    }

    [Fact]
    public async Task JsonResult_FollowsRefsEnumsConstsBoundsFormatsAndMinItems()
    {
        const string schema = """
            {
              "type": "object",
              "required": ["kind", "version", "count", "ratio", "when", "day", "id", "site", "mail", "items", "owner", "maybe", "short"],
              "properties": {
                "kind": { "const": "report" },
                "version": { "enum": [2, 3] },
                "count": { "type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 5 },
                "ratio": { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1 },
                "when": { "type": "string", "format": "date-time" },
                "day": { "type": "string", "format": "date" },
                "id": { "type": "string", "format": "uuid" },
                "site": { "type": "string", "format": "uri" },
                "mail": { "type": "string", "format": "email" },
                "items": { "type": "array", "minItems": 3, "uniqueItems": true, "items": { "$ref": "#/$defs/item" } },
                "owner": { "allOf": [ { "$ref": "#/$defs/named" }, { "required": ["age"], "properties": { "age": { "type": "integer", "minimum": 18 } } } ] },
                "maybe": { "oneOf": [ { "type": "boolean" }, { "type": "string" } ] },
                "short": { "type": "string", "minLength": 5, "maxLength": 8 },
                "depth": { "type": "integer", "maximum": 1 }
              },
              "$defs": {
                "item": { "type": "object", "required": ["label"], "properties": { "label": { "type": "string" } }, "additionalProperties": false },
                "named": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" } } }
              }
            }
            """;
        using var client = Client();

        var result = await AskJson(client, schema);

        ShouldBeValid(schema, result);
        result.GetProperty("kind").GetString().ShouldBe("report");
        result.GetProperty("version").GetInt32().ShouldBe(2);
        result.GetProperty("count").GetInt32().ShouldBe(10);
        result.GetProperty("ratio").GetDecimal().ShouldBe(0.5m);
        DateTimeOffset.Parse(result.GetProperty("when").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldNotBe(default);
        DateOnly.ParseExact(result.GetProperty("day").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Guid.Parse(result.GetProperty("id").GetString()!).ShouldNotBe(Guid.Empty);
        new Uri(result.GetProperty("site").GetString()!).IsAbsoluteUri.ShouldBeTrue();
        result.GetProperty("items").GetArrayLength().ShouldBe(3);
        result.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("label").GetString()).Distinct().Count().ShouldBe(3);
        result.GetProperty("owner").GetProperty("age").GetInt32().ShouldBe(18);
        result.GetProperty("owner").GetProperty("name").GetString().ShouldNotBeNullOrEmpty();
        result.GetProperty("maybe").ValueKind.ShouldBe(JsonValueKind.True);
        result.GetProperty("short").GetString()!.Length.ShouldBeInRange(5, 8);

        // The input's depth (2) breaks the schema's maximum (1), so a value within bounds is made instead.
        result.GetProperty("depth").GetInt32().ShouldBeLessThanOrEqualTo(1);
    }

    [Fact]
    public async Task JsonResult_TakesInputValuesByNameIntoNestedObjects()
    {
        const string schema = """
            {
              "type": "object",
              "required": ["summary", "subject"],
              "properties": {
                "summary": { "type": "string" },
                "subject": {
                  "type": "object",
                  "required": ["topic", "regions"],
                  "properties": { "topic": { "type": "string" }, "regions": { "type": "array", "items": { "type": "string" } } }
                }
              }
            }
            """;
        using var client = Client();

        var result = await AskJson(client, schema);

        ShouldBeValid(schema, result);
        result.GetProperty("summary").GetString().ShouldBe("Research tidal energy. Go deep.");
        result.GetProperty("subject").GetProperty("topic").GetString().ShouldBe("tidal energy");
        result.GetProperty("subject").GetProperty("regions").EnumerateArray().Select(r => r.GetString()).ShouldBe(["Norway", "Wales"]);
    }

    [Fact]
    public async Task JsonResult_SameRequestTwice_IsIdentical()
    {
        const string schema = """{"type":"object","required":["id","items"],"properties":{"id":{"type":"string","format":"uuid"},"items":{"type":"array","minItems":2,"items":{"type":"string"}}}}""";
        using var client = Client();

        var first = await AskJson(client, schema);
        var second = await AskJson(client, schema);

        first.GetRawText().ShouldBe(second.GetRawText());
    }

    [Fact]
    public async Task Response_ReportsEstimatedUsage()
    {
        using var client = Client();
        var prompt = new string('x', 400);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], Options(AgentPhase.Planning), TestContext.Current.CancellationToken);

        response.Usage!.InputTokenCount.ShouldBe(100);
        response.Usage.OutputTokenCount.ShouldBe((response.Text.Length + 3) / 4);
        response.Usage.TotalTokenCount.ShouldBe(response.Usage.InputTokenCount + response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task StepDelay_WaitsOnTheTimeProvider_AndCancellationAbortsTheWait()
    {
        var time = new FakeTimeProvider(TestRuns.Epoch);
        using var client = new OfflineChatClient("local/offline", TimeSpan.FromSeconds(30), time);
        using var cancellation = new CancellationTokenSource();

        var waiting = client.GetResponseAsync([new ChatMessage(ChatRole.User, "plan")], Options(AgentPhase.Planning), cancellation.Token);
        waiting.IsCompleted.ShouldBeFalse();
        await cancellation.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StepDelay_AnswersOnceTheDelayHasPassed()
    {
        var time = new FakeTimeProvider(TestRuns.Epoch);
        using var client = new OfflineChatClient("local/offline", TimeSpan.FromSeconds(30), time);

        var waiting = client.GetResponseAsync([new ChatMessage(ChatRole.User, "plan")], Options(AgentPhase.Planning), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromSeconds(29));
        waiting.IsCompleted.ShouldBeFalse();
        time.Advance(TimeSpan.FromSeconds(1));

        (await waiting.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Text.ShouldStartWith("1. ");
    }

    [Fact]
    public async Task Streaming_YieldsTheSameTextAsTheResponse()
    {
        using var client = Client();
        var messages = new[] { new ChatMessage(ChatRole.User, "write") };

        var response = await client.GetResponseAsync(messages, Options(AgentPhase.Result), TestContext.Current.CancellationToken);
        var streamed = await client.GetStreamingResponseAsync(messages, Options(AgentPhase.Result), TestContext.Current.CancellationToken).ToChatResponseAsync(TestContext.Current.CancellationToken);

        streamed.Text.ShouldBe(response.Text);
    }

    [Fact]
    public async Task RequestOutsideTheLoop_AnswersTheLastUserMessageAsADocument()
    {
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Explain tides.")], cancellationToken: TestContext.Current.CancellationToken);

        response.Text.ShouldStartWith("# Explain tides\n");
        client.GetService<ChatClientMetadata>()!.DefaultModelId.ShouldBe("local/offline");
    }

    private static OfflineChatClient Client() => new("local/offline", TimeSpan.Zero, new FakeTimeProvider(TestRuns.Epoch));

    private static ChatOptions Options(AgentPhase phase, ResultType resultType = ResultType.Document, IReadOnlyList<RunSource>? sources = null)
    {
        var options = new ChatOptions();
        new AgentTurn(phase, "Research {{topic}}. Go deep.".Replace("{{topic}}", "tidal energy", StringComparison.Ordinal), Input, resultType, sources ?? []).AttachTo(options);
        return options;
    }

    private static async Task<JsonElement> AskJson(OfflineChatClient client, string schema)
    {
        var options = Options(AgentPhase.Result, ResultType.Json);
        options.ResponseFormat = ChatResponseFormat.ForJsonSchema(TestRuns.Json(schema), "result");
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "json")], options, TestContext.Current.CancellationToken);
        return TestRuns.Json(response.Text);
    }

    private static void ShouldBeValid(string schema, JsonElement instance) =>
        JsonSchemaCompiler.Compile(TestRuns.Json(schema), new JsonSchemaOptions { FormatAssertion = true }).Validate(instance).Errors.ShouldBeEmpty();
}
