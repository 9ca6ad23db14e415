using Agentry.Core.Agents;
using Agentry.Core.Events;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Agentry.Core.Tools;
using Agentry.Core.Tools.Mcp;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tests.Tools;

/// <summary>Against <c>tests/McpTestServer/mcp_test_server.py</c>, started over stdio with python3.</summary>
public sealed class McpToolProviderTests
{
    private static readonly string ServerScript = Path.Combine(AppContext.BaseDirectory, "Mcp", "mcp_test_server.py");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Services(Dictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new()
        {
            ["Agentry:Mcp:Servers:files:Command"] = "python3",
            ["Agentry:Mcp:Servers:files:Arguments:0"] = ServerScript,
            ["Agentry:Mcp:Servers:files:Environment:MCP_TEST_PREFIX"] = "env ok: ",
            ["Agentry:Mcp:Servers:down:Command"] = "/nonexistent/mcp-server",
        }).Build();
        return new ServiceCollection()
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddAgentryTools(configuration)
            .BuildServiceProvider();
    }

    private static ChatResponse Call(string name, Dictionary<string, object?> arguments) =>
        new(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", name, arguments)]))
        {
            ModelId = "scripted",
            FinishReason = ChatFinishReason.ToolCalls,
        };

    [Fact]
    public async Task Registry_StdioServer_ListsItsToolsAndReportsAnUnreachableOne()
    {
        await using var services = Services();
        var registry = services.GetRequiredService<McpServerRegistry>();

        var servers = await registry.DescribeAsync(Ct);

        servers.Select(s => s.Id).ShouldBe(["down", "files"]);
        servers[1].Available.ShouldBeTrue();
        servers[1].Transport.ShouldBe("stdio");
        servers[1].Tools.Select(t => t.Name).ShouldBe(["read", "search", "fail"]);
        servers[1].Tools[0].Description.ShouldBe("Reads a file.");
        servers[0].Available.ShouldBeFalse();
        servers[0].Reason!.ShouldContain("MCP server 'down' could not be reached");
        servers[0].Tools.ShouldBeEmpty();
    }

    [Fact]
    public async Task GetTools_EnabledTools_OffersOnlyThoseUnderTheirNames()
    {
        await using var services = Services();
        var provider = services.GetServices<IAgentToolProvider>().OfType<McpToolProvider>().Single();
        var config = TestRuns.Config() with { Tools = [new ToolSpec { Source = "mcp", ServerId = "files", EnabledTools = ["read"] }] };

        var tools = await provider.GetToolsAsync(TestRuns.Context(config, "{}", new RecordingEventSink()), Ct);

        tools.Select(t => t.Name).ShouldBe(["read"]);
        tools[0].JsonSchema.GetProperty("required")[0].GetString().ShouldBe("path");
        var all = TestRuns.Config() with { Tools = [new ToolSpec { Source = "mcp", ServerId = "files" }] };
        (await provider.GetToolsAsync(TestRuns.Context(all, "{}", new RecordingEventSink()), Ct)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Run_ModelCallsAnMcpTool_RecordsTheToolCallWithItsOutput()
    {
        var client = new ScriptedChatClient()
            .ThenText("Plan: read.")
            .Then(Call("read", new() { ["path"] = "notes.md" }))
            .ThenText("Done.")
            .ThenText("The notes say hello.");
        await using var services = Services();
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "mcp", ServerId = "files", EnabledTools = ["read"] }] };

        var outcome = await TestRuntime.Loop(scripted: client, tools: [.. services.GetServices<IAgentToolProvider>()])
            .ExecuteAsync(TestRuns.Context(config, "{}", sink), Ct);

        var call = sink.Events.Single(e => e.Type == RunEventTypes.ToolCall);
        call.Data.GetProperty("output").GetString().ShouldBe("env ok: contents of notes.md");
        outcome.Usage.ToolCalls.ShouldBe(1);
    }

    [Fact]
    public async Task Run_McpToolAnswersAnError_TheToolCallRecordsTheErrorAndTheRunGoesOn()
    {
        var client = new ScriptedChatClient()
            .ThenText("Plan.")
            .Then(Call("fail", []))
            .ThenText("It failed.")
            .ThenText("No answer.");
        await using var services = Services();
        var sink = new RecordingEventSink();
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "mcp", ServerId = "files" }] };

        await TestRuntime.Loop(scripted: client, tools: [.. services.GetServices<IAgentToolProvider>()])
            .ExecuteAsync(TestRuns.Context(config, "{}", sink), Ct);

        sink.Events.Single(e => e.Type == RunEventTypes.ToolCall).Data.GetProperty("error").GetString()!.ShouldContain("the file is locked");
    }

    [Theory]
    [InlineData("Url", null, "must set exactly one of Command")]
    [InlineData("Command", "ftp://x", "must set exactly one of Command")]
    [InlineData(null, null, "must set exactly one of Command")]
    public void Options_BadServer_StopsTheStartNamingTheKey(string? extraKey, string? extraValue, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Agentry:Mcp:Servers:bad:Environment:X"] = "1" };
        if (extraKey is not null)
        {
            settings["Agentry:Mcp:Servers:bad:Command"] = "python3";
            settings["Agentry:Mcp:Servers:bad:Url"] = extraValue ?? "http://127.0.0.1:1/mcp";
        }

        using var services = Services(settings);

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<McpOptions>>().Value);
        error.Message.ShouldContain("Agentry:Mcp:Servers:bad");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Options_UrlThatIsNotHttp_StopsTheStartNamingTheKey()
    {
        using var services = Services(new() { ["Agentry:Mcp:Servers:web:Url"] = "ftp://example.com/mcp" });

        var error = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<McpOptions>>().Value);
        error.Message.ShouldContain("Agentry:Mcp:Servers:web:Url");
    }
}
