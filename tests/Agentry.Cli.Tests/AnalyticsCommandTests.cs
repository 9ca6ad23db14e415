using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

/// <summary>Analytics and feedback commands on a server of their own, so the overview counts only these runs.</summary>
public sealed class AnalyticsCommandTests : IAsyncLifetime
{
    private AgentryServerProcess _server = null!;
    private AgentryCli _cli = null!;
    private AgentryClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await AgentryServerProcess.StartAsync(new Dictionary<string, string>
        {
            // Slow steps of 30 s keep a slow run running across several CLI processes on a loaded machine.
            ["Agentry__Models__Stacks__local/offline-slow__Provider"] = "local",
            ["Agentry__Models__Stacks__local/offline-slow__StepDelayMs"] = "30000",
        });
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
    public async Task RunsFeedbackThenAnalytics_ScoresShowInTheSummaryAndTheOverview()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Measured"), Ct);
        var first = await _client.RunAsync(agent.Id, new { topic = "First" }, cancellationToken: Ct);
        var second = await _client.RunAsync(agent.Id, new { topic = "Second" }, cancellationToken: Ct);

        var scored = await _cli.RunAsync("runs", "feedback", first.Id, "accuracy=0.5", "clarity=1", "--comment", "Fine", "--json");
        var replaced = await _cli.RunAsync("runs", "feedback", first.Id, "accuracy=1");
        var other = await _cli.RunAsync("runs", "feedback", second.Id, "accuracy=0.5");
        var listed = await _cli.RunAsync("runs", "feedback", first.Id, "--json");

        scored.ExitCode.ShouldBe(0, scored.ToString());
        scored.Json.EnumerateArray().Select(f => f.GetProperty("key").GetString()).ShouldBe(["accuracy", "clarity"]);
        scored.Json[1].GetProperty("comment").GetString().ShouldBe("Fine");
        replaced.ExitCode.ShouldBe(0, replaced.ToString());
        replaced.Stdout.ShouldContain("accuracy");
        other.ExitCode.ShouldBe(0, other.ToString());
        listed.Json.EnumerateArray().Select(f => f.GetProperty("score").GetDouble()).ShouldBe([1.0, 1.0]);

        var json = await _cli.RunAsync("analytics", agent.Id, "--bucket", "hour", "--tz", "Europe/Berlin", "--from", DateTimeOffset.UtcNow.AddHours(-2).ToString("O"), "--json");
        var table = await _cli.RunAsync("analytics", agent.Id);
        var overview = await _cli.RunAsync("analytics", "overview", "--json");
        var overviewTable = await _cli.RunAsync("analytics", "overview", "--bucket", "day");

        json.ExitCode.ShouldBe(0, json.ToString());
        json.Json.GetProperty("bucket").GetString().ShouldBe("hour");
        json.Json.GetProperty("timeZone").GetString().ShouldBe("Europe/Berlin");
        json.Json.GetProperty("total").GetProperty("runs").GetInt64().ShouldBe(2);
        json.Json.GetProperty("total").GetProperty("feedback").GetProperty("accuracy").GetProperty("mean").GetDouble().ShouldBe(0.75, 1e-9);
        table.ExitCode.ShouldBe(0, table.ToString());
        table.Stdout.ShouldContain("Success rate");
        table.Stdout.ShouldContain("100.0%");
        table.Stdout.ShouldContain("Duration p50 / p95");
        table.Stdout.ShouldContain("accuracy 0.75 (n=2)");
        table.Stdout.ShouldContain("clarity 1.00 (n=1)");
        overview.Json.GetProperty("total").GetProperty("runs").GetInt64().ShouldBe(2);
        overviewTable.ExitCode.ShouldBe(0, overviewTable.ToString());
        overviewTable.Stdout.ShouldContain("All agents");
    }

    [Fact]
    public async Task RunsFeedback_BadPairOrRunningRun_ExitsWith2AndStoresNothing()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Slow("Unfinished"), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Still going" }, cancellationToken: Ct);

        var badPair = await _cli.RunAsync("runs", "feedback", run.Id, "accuracy=1", "clarity=high");
        var running = await _cli.RunAsync("runs", "feedback", run.Id, "accuracy=1", "--json");
        await _client.CancelRunAsync(run.Id, Ct);

        badPair.ExitCode.ShouldBe(2, badPair.ToString());
        badPair.Stderr.ShouldContain("clarity=high");
        running.ExitCode.ShouldBe(2, running.ToString());
        running.Stderr.ShouldContain("conflict");
        (await _client.ListRunFeedbackAsync(run.Id, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Analytics_BadBucketOrUnknownAgent_ExitsWith2()
    {
        var badBucket = await _cli.RunAsync("analytics", "agt_whatever", "--bucket", "week");
        var unknown = await _cli.RunAsync("analytics", "agt_unknown", "--json");
        var help = await _cli.RunAsync("analytics", "--help");

        badBucket.ExitCode.ShouldBe(2, badBucket.ToString());
        badBucket.Stderr.ShouldContain("week");
        unknown.ExitCode.ShouldBe(2, unknown.ToString());
        unknown.Stderr.ShouldContain("not_found");
        help.ExitCode.ShouldBe(0, help.ToString());
        help.Stdout.ShouldContain("agentry analytics agt_123 --from 2026-11-01");
        help.Stdout.ShouldContain("overview");
    }
}
