using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

/// <summary>The runs commands against a server that only serves the API (no workers), so runs stay pending until cancelled.</summary>
public sealed class RunsCommandTests : IAsyncLifetime
{
    private AgentryServerProcess _server = null!;
    private AgentryCli _cli = null!;
    private AgentryClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await AgentryServerProcess.StartAsync(new Dictionary<string, string> { ["Agentry__Role"] = "api" });
        _cli = new AgentryCli(_server.Address, AgentryServerProcess.BootstrapKey);
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _cli.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RunDetach_ThenRunsCommands_GetListEventsCancelAndRerun()
    {
        var agentId = (await _client.CreateAgentAsync(TestAgents.Research("Queued"), Ct)).Id;

        var started = await _cli.RunAsync("run", agentId, "topic=Detached", "--detach", "--json");

        started.ExitCode.ShouldBe(0, started.ToString());
        var runId = started.Json.GetProperty("id").GetString()!;
        var cancelled = await _cli.RunAsync("runs", "cancel", runId);
        cancelled.ExitCode.ShouldBe(0, cancelled.ToString());
        var watched = await _cli.RunAsync("runs", "watch", runId, "--json");
        watched.ExitCode.ShouldBe(1, watched.ToString());
        watched.Json.GetProperty("error").GetProperty("code").GetString().ShouldBe("cancelled");
        var again = await _cli.RunAsync("runs", "cancel", runId);
        again.ExitCode.ShouldBe(2, again.ToString());
        again.Stderr.ShouldContain("error:");

        var got = await _cli.RunAsync("runs", "get", runId, "--json");
        got.Json.GetProperty("status").GetString().ShouldBe("error");
        (await _cli.RunAsync("runs", "get", runId)).Stdout.ShouldContain("cancelled");
        var list = await _cli.RunAsync("runs", "list", "--agent", agentId, "--status", "error", "--json");
        list.Json.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ShouldBe([runId]);
        (await _cli.RunAsync("runs", "list", "--agent", agentId)).Stdout.ShouldContain(runId);
        var events = await _cli.RunAsync("runs", "events", runId, "--json");
        events.Json.EnumerateArray().Select(e => e.GetProperty("seq").GetInt32()).ShouldBe(Enumerable.Range(1, events.Json.GetArrayLength()));
        (await _cli.RunAsync("runs", "events", runId)).Stdout.ShouldContain("status");

        var rerun = await _cli.RunAsync("runs", "rerun", runId, "--json");

        rerun.ExitCode.ShouldBe(0, rerun.ToString());
        rerun.Json.GetProperty("id").GetString().ShouldNotBe(runId);
        rerun.Json.GetProperty("input").GetProperty("topic").GetString().ShouldBe("Detached");
        await _client.CancelRunAsync(rerun.Json.GetProperty("id").GetString()!, Ct);
    }
}
