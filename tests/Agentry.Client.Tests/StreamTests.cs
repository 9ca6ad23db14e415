using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Client.Tests;

public sealed class StreamTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AgentryClient _client = fixture.Server.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StreamEvents_LiveRun_SendsEveryChangeInPositionOrderAndEndsWithTheRun()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Streaming" }, cancellationToken: Ct);

        var received = new List<RunEvent>();
        await foreach (var e in _client.StreamEventsAsync(run.Id, cancellationToken: Ct))
        {
            received.Add(e);
        }

        received.Select(e => e.Position).ShouldBe(Enumerable.Range(1, received.Count).Select(i => (long)i));
        received[0].Type.ShouldBe("status");
        received.ShouldContain(e => e.Type == "result");
        (await _client.GetRunAsync(run.Id, Ct)).IsTerminal.ShouldBeTrue();
    }

    [Fact]
    public async Task StreamEvents_AfterAPosition_SendsOnlyLaterChanges()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);
        var run = await _client.RunAsync(agent.Id, new { topic = "Resume" }, cancellationToken: Ct);

        var received = new List<RunEvent>();
        await foreach (var e in _client.StreamEventsAsync(run.Id, afterPosition: 3, Ct))
        {
            received.Add(e);
        }

        received[0].Position.ShouldBe(4);
        var all = new List<RunEvent>();
        await foreach (var e in _client.StreamEventsAsync(run.Id, afterPosition: received[^1].Position, Ct))
        {
            all.Add(e);
        }

        all.ShouldBeEmpty();
    }

    [Fact]
    public async Task StreamEvents_ConnectionDroppedMidStream_ResumesWithoutGapOrRepeat()
    {
        await using var proxy = new DroppingProxy(fixture.Server.Address);
        using var client = new AgentryClient(new HttpClient(), new AgentryClientOptions
        {
            BaseAddress = proxy.Address,
            ApiKey = AgentryServerProcess.BootstrapKey,
            StreamReconnectDelay = TimeSpan.FromMilliseconds(50),
        });
        var agent = await _client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Flaky network" }, cancellationToken: Ct);

        var received = new List<RunEvent>();
        var drops = 0;
        await foreach (var e in client.StreamEventsAsync(run.Id, cancellationToken: Ct))
        {
            received.Add(e);
            if (received.Count is 2 or 5)
            {
                proxy.DropAll();
                drops++;
            }
        }

        drops.ShouldBe(2);
        proxy.Connections.ShouldBeGreaterThanOrEqualTo(3);
        received.Select(e => e.Position).ShouldBe(Enumerable.Range(1, received.Count).Select(i => (long)i));
        received.ShouldContain(e => e.Type == "result");
    }

    [Fact]
    public async Task StreamEvents_ServerRestartedMidStream_ResumesAndEndsWithTheRun()
    {
        await using var server = await AgentryServerProcess.StartAsync(new Dictionary<string, string>
        {
            // A killed server's run is taken over quickly after the restart.
            ["Agentry__Workers__LeaseDuration"] = "00:00:02",
        });
        using var client = server.CreateClient(configure: o => o.StreamReconnectDelay = TimeSpan.FromMilliseconds(200));
        var agent = await client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await client.StartRunAsync(agent.Id, new { topic = "Restart" }, cancellationToken: Ct);

        var received = new List<RunEvent>();
        await foreach (var e in client.StreamEventsAsync(run.Id, cancellationToken: Ct))
        {
            received.Add(e);
            if (received.Count == 3)
            {
                await server.RestartAsync();
            }
        }

        received.Select(e => e.Position).ShouldBe(Enumerable.Range(1, received.Count).Select(i => (long)i));
        (await client.GetRunAsync(run.Id, Ct)).IsTerminal.ShouldBeTrue();
    }

    [Fact]
    public async Task StreamRuns_RunStarted_ArrivesWithItsChanges()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Feed"), Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<Run>();
        var streaming = Task.Run(
            async () =>
            {
                await foreach (var run in _client.StreamRunsAsync(agent.Id, cancel.Token))
                {
                    seen.Add(run);
                    if (run.IsTerminal)
                    {
                        return;
                    }
                }
            },
            Ct);
        // The feed starts from "now": give it a moment to open before the run is created.
        await Task.Delay(500, Ct);

        var started = await _client.StartRunAsync(agent.Id, new { topic = "Live list" }, cancellationToken: Ct);
        await streaming.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        seen.ShouldAllBe(r => r.Id == started.Id);
        seen[^1].Status.ShouldBe(RunStatus.Done);
    }

    [Fact]
    public async Task StreamRuns_ConnectionDropped_ResumesAndDeliversTheRunsLatestState()
    {
        await using var proxy = new DroppingProxy(fixture.Server.Address);
        using var client = new AgentryClient(new HttpClient(), new AgentryClientOptions
        {
            BaseAddress = proxy.Address,
            ApiKey = AgentryServerProcess.BootstrapKey,
            StreamReconnectDelay = TimeSpan.FromMilliseconds(50),
        });
        var agent = await _client.CreateAgentAsync(TestAgents.Slow("Feed drop"), Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var seen = new List<Run>();
        var streaming = Task.Run(
            async () =>
            {
                await foreach (var run in client.StreamRunsAsync(agent.Id, cancel.Token))
                {
                    seen.Add(run);
                    if (seen.Count == 1)
                    {
                        proxy.DropAll();
                    }

                    if (run.IsTerminal)
                    {
                        return;
                    }
                }
            },
            Ct);
        await Task.Delay(500, Ct);

        var started = await _client.StartRunAsync(agent.Id, new { topic = "Dropped feed" }, cancellationToken: Ct);
        await streaming.WaitAsync(TimeSpan.FromSeconds(60), Ct);

        proxy.Connections.ShouldBeGreaterThanOrEqualTo(2);
        seen.ShouldAllBe(r => r.Id == started.Id);
        seen[^1].Status.ShouldBe(RunStatus.Done);
    }
}
