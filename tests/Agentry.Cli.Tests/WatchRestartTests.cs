using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class WatchRestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunsWatch_ServerRestartedMidRun_ResumesAndEndsWithTheRun()
    {
        await using var server = await AgentryServerProcess.StartAsync(new Dictionary<string, string>
        {
            // The killed server's run is taken over soon after the restart.
            ["Agentry__Workers__LeaseDuration"] = "00:00:02",
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
        ended.IsTerminal.ShouldBeTrue();
        var output = string.Join('\n', seen) + "\n" + rest;
        watch.ExitCode.ShouldBe(ended.Status == RunStatus.Done ? 0 : 1, output + await stderr);
        (ended.Status == RunStatus.Done ? output : await stderr).ShouldContain(run.Id);
    }
}
