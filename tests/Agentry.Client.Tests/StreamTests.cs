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

        var seen = await FollowFeedUntilDoneAsync(_client, agent.Id, onFirst: null);

        seen.Select(r => r.Status).ShouldBe(seen.Select(r => r.Status).Order());
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
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Feed drop"), Ct);

        var seen = await FollowFeedUntilDoneAsync(client, agent.Id, onFirst: proxy.DropAll);

        proxy.Connections.ShouldBeGreaterThanOrEqualTo(2);
        seen[^1].Status.ShouldBe(RunStatus.Done);
    }

    /// <summary>
    /// Opens the feed of <paramref name="agentId"/>, proves it is open by starting runs until one arrives (the feed
    /// starts from "now"), calls <paramref name="onFirst"/>, then starts the run under test and answers every change of
    /// it that the feed delivered, up to its end.
    /// </summary>
    private async Task<List<Run>> FollowFeedUntilDoneAsync(AgentryClient feedClient, string agentId, Action? onFirst)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var all = new System.Collections.Concurrent.ConcurrentQueue<Run>();
        var streaming = Task.Run(
            async () =>
            {
                await foreach (var run in feedClient.StreamRunsAsync(agentId, cancel.Token))
                {
                    if (all.IsEmpty)
                    {
                        onFirst?.Invoke();
                    }

                    all.Enqueue(run);
                }
            },
            Ct);
        while (all.IsEmpty)
        {
            var probe = await _client.StartRunAsync(agentId, new { topic = "Probe run" }, cancellationToken: Ct);
            await _client.WaitForRunAsync(probe.Id, cancellationToken: Ct);
        }

        var started = await _client.StartRunAsync(agentId, new { topic = "Live list" }, cancellationToken: Ct);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!all.Any(r => r.Id == started.Id && r.IsTerminal))
        {
            streaming.IsCompleted.ShouldBeFalse($"the feed ended: {streaming.Exception}");
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the run's end did not arrive on the feed");
            await Task.Delay(100, Ct);
        }

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => streaming);
        return [.. all.Where(r => r.Id == started.Id)];
    }
}
