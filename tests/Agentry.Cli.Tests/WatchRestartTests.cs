using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class WatchRestartTests
{
    private const string SlowStack = "local/offline-slow";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunsWatch_ServerRestartedMidRun_ReconnectsAndEndsWithTheRunsWorkerLostError()
    {
        await using var server = await AgentryServerProcess.StartAsync(new Dictionary<string, string>
        {
            // The killed server's run is found without a worker soon after the restart.
            ["Agentry__Workers__LeaseDuration"] = "00:00:02",
            // Steps of 3 s instead of 400 ms: after the plan the run has several model calls to go, so the restart
            // surely comes mid-run even on a loaded machine (with 400 ms steps the run could end before the kill,
            // and the watch then lost the server while it fetched the finished run).
            [$"Agentry__Models__Stacks__{SlowStack}__Provider"] = "local",
            [$"Agentry__Models__Stacks__{SlowStack}__StepDelayMs"] = "3000",
        });
        using var client = server.CreateClient();
        using var cli = new AgentryCli(server.Address, AgentryServerProcess.BootstrapKey);
        var agent = await client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await client.StartRunAsync(agent.Id, new { topic = "Restarts" }, cancellationToken: Ct);
        using var watch = cli.Start(["runs", "watch", run.Id]);
        var stderr = watch.StandardError.ReadToEndAsync(Ct);
        var seen = new List<string>();
        while (await watch.StandardOutput.ReadLineAsync(Ct) is { } line)
        {
            seen.Add(line);
            if (line.Contains("Plan", StringComparison.Ordinal))
            {
                break;
            }
        }

        await server.RestartAsync();
        var rest = await watch.StandardOutput.ReadToEndAsync(Ct);
        await watch.WaitForExitAsync(Ct);

        var ended = await client.GetRunAsync(run.Id, Ct);
        // Killed mid-run, the run's worker is gone: the restarted server ends it as worker_lost once its lease expires,
        // and the watch, reconnected to the restarted server, follows it to that end.
        var output = string.Join('\n', seen) + "\n" + rest;
        var errors = await stderr;
        ended.Status.ShouldBe(RunStatus.Error, output + errors);
        ended.Error!.Code.ShouldBe("worker_lost");
        watch.ExitCode.ShouldBe(1, output + errors);
        errors.ShouldContain(run.Id);
        errors.ShouldContain("worker_lost");
    }
}
