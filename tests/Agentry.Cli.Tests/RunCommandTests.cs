using System.Text;
using System.Text.Json;
using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class RunCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly AgentryCli _cli = new(fixture.Server.Address, AgentryServerProcess.BootstrapKey);
    private readonly AgentryClient _client = fixture.Server.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _cli.Dispose();
        _client.Dispose();
    }

    private async Task<string> CreateTypedAgentAsync(string modelStackId = "local/offline", int? timeoutSeconds = null)
    {
        var agent = await _client.CreateAgentAsync(
            TestAgents.Research("Typed", modelStackId) with
            {
                InputSchema = JsonDocument.Parse("""
                    {"type": "object", "required": ["topic"],
                     "properties": {"topic": {"type": "string", "minLength": 3}, "depth": {"type": "integer", "maximum": 5},
                                    "ratio": {"type": "number"}, "deep": {"type": "boolean"}, "tags": {"type": "array"},
                                    "options": {"type": "object"}}}
                    """).RootElement,
                Limits = new AgentLimits { TimeoutSeconds = timeoutSeconds },
            },
            Ct);
        return agent.Id;
    }

    [Fact]
    public async Task Run_NameValuePairs_AreTypedByTheInputSchema()
    {
        var agentId = await CreateTypedAgentAsync();

        var result = await _cli.RunAsync("run", agentId, "topic=AI in healthcare", "depth=3", "ratio=0.5", "deep=true", "tags=[\"a\",\"b\"]", "options={\"x\":1}", "--json");

        result.ExitCode.ShouldBe(0, result.ToString());
        var run = result.Json;
        run.GetProperty("status").GetString().ShouldBe("done");
        System.Text.Json.Nodes.JsonNode.Parse(run.GetProperty("input").GetRawText())!.ToJsonString().ShouldBe("""{"topic":"AI in healthcare","depth":3,"ratio":0.5,"deep":true,"tags":["a","b"],"options":{"x":1}}""");
    }

    [Fact]
    public async Task Run_UnknownInputName_ExitsWith2NamingItAndTheKnownInputs()
    {
        var agentId = await CreateTypedAgentAsync();

        var result = await _cli.RunAsync("run", agentId, "topic=AI things", "colour=red");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("The agent has no input 'colour'");
        result.Stderr.ShouldContain("topic (string, required)");
        result.Stderr.ShouldContain("depth (integer)");
    }

    [Fact]
    public async Task Run_ValueOfTheWrongType_ExitsWith2NamingTheFieldAndAnExample()
    {
        var agentId = await CreateTypedAgentAsync();

        var result = await _cli.RunAsync("run", agentId, "topic=AI things", "depth=deep");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("Input 'depth' must be an integer, not 'deep'. Example: depth=3");
    }

    [Fact]
    public async Task Run_PairWithoutEquals_ExitsWith2ShowingTheForm()
    {
        var agentId = await CreateTypedAgentAsync();

        var result = await _cli.RunAsync("run", agentId, "topic");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("write name=value");
    }

    [Fact]
    public async Task Run_InputRefusedByTheServer_ExitsWith2ListingEachViolation()
    {
        var agentId = await CreateTypedAgentAsync();

        var result = await _cli.RunAsync("run", agentId, "--input", """{"topic": "AI", "depth": 9}""");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("/topic");
        result.Stderr.ShouldContain("/depth");
    }

    [Fact]
    public async Task Run_TwoInputSources_ExitsWith2()
    {
        var agentId = await CreateTypedAgentAsync();

        var result = await _cli.RunAsync("run", agentId, "topic=AI things", "--input", "{}");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("Give the input one way");
    }

    [Fact]
    public async Task Run_InputFile_ShowsTheStepsAndPrintsTheDocument()
    {
        var agentId = await CreateTypedAgentAsync();
        var file = Path.Combine(_cli.ConfigHome, "input.json");
        await File.WriteAllTextAsync(file, """{"topic": "Solar power"}""", Ct);

        var result = await _cli.RunAsync("run", agentId, "--input-file", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("● running");
        result.Stdout.ShouldContain("Plan");
        result.Stdout.ShouldContain("result ready");
        result.Stdout.ShouldContain("tokens");
        var run = (await _client.ListRunsAsync(new RunListQuery { AgentId = agentId }, Ct)).Items.ShouldHaveSingleItem();
        result.Stdout.ShouldContain(run.Document!.Split('\n')[0]);
    }

    [Fact]
    public async Task Run_RunEndsInError_ExitsWith1WithTheErrorCode()
    {
        var agentId = await CreateTypedAgentAsync("local/offline-slow", timeoutSeconds: 1);

        var result = await _cli.RunAsync("run", agentId, "topic=Too slow");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Stderr.ShouldContain("ended in error");
        result.Stderr.ShouldContain("timeout");
    }

    [Fact]
    public async Task Run_Interrupted_WithoutATerminalLeavesTheRunGoingAndSaysHowToWatchIt()
    {
        var agentId = await CreateTypedAgentAsync("local/offline-slow");
        using var process = _cli.Start(["run", agentId, "topic=Interrupted"]);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var first = await process.StandardOutput.ReadLineAsync(Ct);
        first.ShouldNotBeNull();
        var runId = first.Split(' ')[1];

        using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync(Ct);
        }

        await process.WaitForExitAsync(Ct);
        process.ExitCode.ShouldBe(0, await stderr);
        (await stderr).ShouldContain($"agentry runs watch {runId}");
        var run = await _client.WaitForRunAsync(runId, cancellationToken: Ct);
        run.Status.ShouldBe(RunStatus.Done);
    }

    [Fact]
    public async Task RunsWatch_UnknownRun_ExitsWith2()
    {
        var result = await _cli.RunAsync("runs", "watch", "run_missing");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("run_missing");
    }

    [Fact]
    public async Task RunsList_BadStatus_ExitsWith2ListingTheStatuses()
    {
        var result = await _cli.RunAsync("runs", "list", "--status", "finished");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("pending");
    }

    [Fact]
    public async Task Batch_JsonlInputs_ReportsProgressAndASummary()
    {
        var agentId = await CreateTypedAgentAsync();
        var file = Path.Combine(_cli.ConfigHome, "inputs.jsonl");
        await File.WriteAllTextAsync(file, """
            {"topic": "Wind power"}
            {"topic": "Tidal power", "depth": 2}

            {"topic": "Geothermal power"}
            """, Ct);

        var result = await _cli.RunAsync("batch", agentId, "--inputs", file);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("progress: 3/3 ended");
        result.Stdout.ShouldContain("p95");
        var json = await _cli.RunAsync("batch", agentId, "--inputs", file, "--json");
        json.ExitCode.ShouldBe(0, json.ToString());
        json.Json.GetProperty("total").GetInt32().ShouldBe(3);
        json.Json.GetProperty("done").GetInt32().ShouldBe(3);
        json.Json.GetProperty("durationMs").GetProperty("p95").GetDouble().ShouldBeGreaterThanOrEqualTo(json.Json.GetProperty("durationMs").GetProperty("p50").GetDouble());
        json.Json.GetProperty("runIds").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task Batch_RunsEndingInError_ExitsWith1CountingErrorsByCode()
    {
        var agentId = await CreateTypedAgentAsync("local/offline-slow", timeoutSeconds: 1);
        var file = Path.Combine(_cli.ConfigHome, "slow.jsonl");
        await File.WriteAllTextAsync(file, "{\"topic\": \"Slow one\"}\n{\"topic\": \"Slow two\"}\n", Ct);

        var result = await _cli.RunAsync("batch", agentId, "--inputs", file, "--json");

        result.ExitCode.ShouldBe(1, result.ToString());
        result.Json.GetProperty("errorCodes").GetProperty("timeout").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Batch_LineNotAnObject_ExitsWith2NamingTheLineAndStartsNothing()
    {
        var agentId = await CreateTypedAgentAsync();
        var file = Path.Combine(_cli.ConfigHome, "bad.jsonl");
        await File.WriteAllTextAsync(file, "{\"topic\": \"Fine topic\"}\n[1, 2]\n", Encoding.UTF8, Ct);

        var result = await _cli.RunAsync("batch", agentId, "--inputs", file);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("Line 2");
        (await _client.ListAgentRunsAsync(agentId, cancellationToken: Ct)).Total.ShouldBe(0);
    }
}
