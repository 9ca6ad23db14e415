using Agentry.Core.Agents;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Agentry.Core.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tests.Tools;

public sealed class BuiltinToolProviderTests
{
    private static RunContext Context(params string[] builtins)
    {
        var config = TestRuns.Config() with { Tools = [.. builtins.Select(type => new ToolSpec { Source = "builtin", Type = type })] };
        return TestRuns.Context(config, "{}", new RecordingEventSink());
    }

    private static ServiceProvider Services(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? []).Build();
        return new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddAgentryTools(configuration)
            .BuildServiceProvider();
    }

    [Fact]
    public async Task GetTools_OffersOnlyTheConfiguredBuiltinsItImplements()
    {
        using var services = Services();
        var provider = services.GetServices<IAgentToolProvider>().OfType<BuiltinToolProvider>().Single();

        var tools = await provider.GetToolsAsync(Context("codeInterpreter", "searchWeb", "browseWebsite", "searchNews"), TestContext.Current.CancellationToken);

        tools.Select(t => t.Name).ShouldBe(["browseWebsite", "codeInterpreter"]);
        var url = tools[0].JsonSchema.GetProperty("properties").GetProperty("url");
        url.GetProperty("type").GetString().ShouldBe("string");
        url.GetProperty("description").GetString()!.ShouldContain("http or https URL");
        tools[0].JsonSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(["url"]);
        (await provider.GetToolsAsync(Context(), TestContext.Current.CancellationToken)).ShouldBeEmpty();
    }

    [Fact]
    public async Task CodeInterpreter_HasASchemaWithItsCodeParameter_AndRuns()
    {
        using var services = Services();
        var provider = services.GetRequiredService<IAgentToolProvider>();
        var tool = (await provider.GetToolsAsync(Context("codeInterpreter"), TestContext.Current.CancellationToken)).Single();

        tool.Description.ShouldContain("JavaScript");
        var code = tool.JsonSchema.GetProperty("properties").GetProperty("code");
        code.GetProperty("type").GetString().ShouldBe("string");
        code.GetProperty("description").GetString()!.ShouldContain("last expression");
        tool.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).ShouldBe(["code"]);

        var output = await tool.InvokeAsync(new AIFunctionArguments { ["code"] = "6 * 7" }, TestContext.Current.CancellationToken);
        var json = System.Text.Json.JsonSerializer.SerializeToElement(output, AIJsonUtilities.DefaultOptions);
        json.GetProperty("value").GetInt32().ShouldBe(42);
        json.GetProperty("console").GetString().ShouldBe(string.Empty);
    }

    [Fact]
    public async Task Run_WithCodeInterpreter_RecordsTheToolCallWithItsOutput()
    {
        var client = new ScriptedChatClient()
            .ThenText("Plan: compute.")
            .Then(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "codeInterpreter", new Dictionary<string, object?> { ["code"] = "console.log('hi'); 2 ** 10" })]))
            {
                ModelId = "scripted",
                FinishReason = ChatFinishReason.ToolCalls,
            })
            .ThenText("Done.")
            .ThenText("It is 1024.");
        using var services = Services();
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "builtin", Type = "codeInterpreter" }] };

        var outcome = await TestRuntime.Loop(scripted: client, tools: [.. services.GetServices<IAgentToolProvider>()])
            .ExecuteAsync(TestRuns.Context(config, "{}", sink), TestContext.Current.CancellationToken);

        var call = sink.Events.Single(e => e.Type == Agentry.Core.Events.RunEventTypes.ToolCall);
        call.Data.GetProperty("output").GetProperty("value").GetInt32().ShouldBe(1024);
        call.Data.GetProperty("output").GetProperty("console").GetString().ShouldBe("hi\n");
        outcome.Usage.ToolCalls.ShouldBe(1);
    }

    [Fact]
    public void Options_AreReadFromConfiguration_AndBadValuesStopTheStart()
    {
        using var good = Services(new()
        {
            ["Agentry:Tools:Browse:AllowedHosts:0"] = "wiki.internal",
            ["Agentry:Tools:Browse:AllowedNetworks"] = "10.1.0.0/16, fd12::/64",
            ["Agentry:Tools:Browse:TimeoutSeconds"] = "7",
            ["Agentry:Tools:CodeInterpreter:MemoryLimitMb"] = "16",
        });
        var options = good.GetRequiredService<IOptions<ToolsOptions>>().Value;
        options.Browse.AllowedHosts.ShouldBe(["wiki.internal"]);
        options.Browse.AllowedNetworks.ShouldBe(["10.1.0.0/16", "fd12::/64"]);
        options.Browse.TimeoutSeconds.ShouldBe(7);
        options.Browse.MaxResponseBytes.ShouldBe(2 * 1024 * 1024);
        options.CodeInterpreter.MemoryLimitMb.ShouldBe(16);

        using var bad = Services(new()
        {
            ["Agentry:Tools:Browse:AllowedNetworks:0"] = "10.1.0.0/99",
            ["Agentry:Tools:CodeInterpreter:TimeoutSeconds"] = "soon",
        });
        var failure = Should.Throw<OptionsValidationException>(() => bad.GetRequiredService<IOptions<ToolsOptions>>().Value);
        failure.Message.ShouldContain("10.1.0.0/99");
        failure.Message.ShouldContain("Agentry:Tools:CodeInterpreter:TimeoutSeconds");
    }
}
