using System.Net;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.Runs;

/// <summary>The live feed of run changes, <c>GET /v1/runs/stream</c>, read as a client would.</summary>
public sealed class RunStreamTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunStream_NewRunWhileWatching_ShowsItPendingThenRunningThenDone()
    {
        // One worker, kept busy by a blocker, so the watched run stays pending until the test lets it go.
        await using var oneWorker = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Workers:Concurrency"] = "1" });
        using var client = oneWorker.CreateAdminClient();
        var agentId = await client.CreateAgentAsync(RunApi.SlowAgent("Live"));
        var blocker = await client.StartRunAsync(agentId, new { topic = "blocker" });
        await client.WaitForRunningAsync(blocker.Id());
        var watched = new RunWatch(agentId);

        var stream = client.ReadStreamAsync($"/v1/runs/stream?agentId={agentId}", until: watched.Until("done"), opened: watched.Opened);
        await watched.WaitOpenedAsync();
        var runId = (await client.StartRunAsync(agentId, new { topic = "watched" })).Id();
        (await watched.SawPending.Task.WaitAsync(OpenTimeout, Ct)).ShouldBe("pending");
        using (var cancel = await client.PostAsync($"/v1/runs/{blocker.Id()}/cancel", null, Ct))
        {
            cancel.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        }

        var replay = await stream;

        replay.Status.ShouldBe(HttpStatusCode.OK);
        replay.ContentType.ShouldBe("text/event-stream");
        replay.Messages.ShouldAllBe(m => m.Type == "run");
        var statuses = StatusesOf(replay, runId).Distinct().ToList();
        statuses.ShouldBe(["pending", "running", "done"]);
        var done = replay.Events.Last(e => e.Id() == runId);
        done.GetProperty("agentId").GetString().ShouldBe(agentId);
        done.GetProperty("completedAt").ValueKind.ShouldBe(JsonValueKind.String);
        StatusesOf(replay, blocker.Id()).ShouldContain("error", "the cancelled blocker's end is a change too");
    }

    [Fact]
    public async Task RunStream_ResumedWithLastEventIdAfterADrop_SendsTheLaterStateOnceAndNothingSeenBefore()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent("Resume"));
        var watched = new RunWatch(agentId);
        var first = _client.ReadStreamAsync($"/v1/runs/stream?agentId={agentId}", until: watched.UntilAny(), opened: watched.Opened);
        await watched.WaitOpenedAsync();
        var runId = (await _client.StartRunAsync(agentId, new { topic = "drop" })).Id();
        var beforeDrop = await first;
        var ended = await _client.WaitForEndAsync(runId);

        var resumed = await _client.ReadStreamAsync(
            $"/v1/runs/stream?agentId={agentId}", lastEventId: beforeDrop.Messages[^1].Id, until: watched.Until(ended.Status()));

        var resent = resumed.Events.Where(e => e.Id() == runId).ToList();
        resent.ShouldHaveSingleItem().Status().ShouldBe(ended.Status());
        resumed.Messages.Select(m => m.Id).ShouldNotContain(beforeDrop.Messages[^1].Id);
        resumed.Messages.Select(m => m.Id).Intersect(beforeDrop.Messages.Select(m => m.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task RunStream_ResumedAtEveryCursorOfAFinishedRun_SendsOnlyItsFinalStateOnce()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent("Every cursor"));
        var watched = new RunWatch(agentId);
        var live = _client.ReadStreamAsync($"/v1/runs/stream?agentId={agentId}", until: watched.Until("done"), opened: watched.Opened);
        await watched.WaitOpenedAsync();
        await _client.StartRunAsync(agentId, new { topic = "every cursor" });
        var all = await live;
        all.Messages.Count.ShouldBeGreaterThan(1);
        all.Messages.Select(m => m.Id).Distinct().Count().ShouldBe(all.Messages.Count, "every change has its own cursor");

        foreach (var message in all.Messages.SkipLast(1))
        {
            var resumed = await _client.ReadStreamAsync($"/v1/runs/stream?agentId={agentId}&after={message.Id}", until: watched.Until("done"));

            resumed.Events.Select(e => e.Status()).ShouldBe(["done"], $"resuming after {message.Id}");
            resumed.Messages[0].Id.ShouldBe(all.Messages[^1].Id);
        }
    }

    [Fact]
    public async Task RunStream_FilteredByAgent_SendsOnlyThatAgentsRuns()
    {
        var wanted = await _client.CreateAgentAsync(RunApi.Research("Wanted"));
        var other = await _client.CreateAgentAsync(RunApi.Research("Other"));
        var watched = new RunWatch(wanted);
        var stream = _client.ReadStreamAsync($"/v1/runs/stream?agentId={wanted}", until: watched.Until("done"), opened: watched.Opened);
        await watched.WaitOpenedAsync();

        // The other agent's run changes first: a filter that let it through would show it before ours.
        await _client.WaitForEndAsync((await _client.StartRunAsync(other, new { topic = "ignored" })).Id());
        await _client.StartRunAsync(wanted, new { topic = "wanted" });
        var replay = await stream;

        replay.Events.ShouldNotBeEmpty();
        replay.Events.ShouldAllBe(e => e.GetProperty("agentId").GetString() == wanted);
    }

    [Fact]
    public async Task RunStream_AnotherOrganization_NeverSeesOurRuns()
    {
        var org = await server.CreateOrganizationAsync("Stream neighbour");
        using var neighbour = server.CreateClient(org.AdminKey);
        var theirAgent = await neighbour.CreateAgentAsync(RunApi.Research("Theirs"));
        var ourAgent = await _client.CreateAgentAsync(RunApi.Research("Ours"));
        var watched = new RunWatch(theirAgent);
        var theirStream = neighbour.ReadStreamAsync("/v1/runs/stream", until: watched.Until("done"), opened: watched.Opened);
        await watched.WaitOpenedAsync();

        var ours = (await _client.StartRunAsync(ourAgent, new { topic = "private" })).Id();
        await _client.WaitForEndAsync(ours);
        await neighbour.StartRunAsync(theirAgent, new { topic = "theirs" });
        var replay = await theirStream;

        replay.Events.ShouldNotBeEmpty();
        replay.Events.ShouldAllBe(e => e.GetProperty("agentId").GetString() == theirAgent);
        replay.Events.Select(e => e.Id()).ShouldNotContain(ours);
        var foreignAgent = await _client.ReadStreamAsync($"/v1/runs/stream?agentId={theirAgent}");
        foreignAgent.Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("after", "not-a-cursor")]
    [InlineData("after", "42")]
    [InlineData("Last-Event-ID", "42")]
    [InlineData("Last-Event-ID", "YzE6cnVuXzAx")]
    public async Task RunStream_BadCursor_Answers400NamingIt(string source, string cursor)
    {
        using var request = new HttpRequestMessage(
            HttpMethod.Get, source == "after" ? $"/v1/runs/stream?after={Uri.EscapeDataString(cursor)}" : "/v1/runs/stream");
        if (source != "after")
        {
            request.Headers.Add("Last-Event-ID", cursor);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        problem.GetRawText().ShouldContain(source);
    }

    [Fact]
    public async Task RunStream_UnknownAgent_Answers404()
    {
        using var response = await _client.GetAsync("/v1/runs/stream?agentId=agt_missing", HttpCompletionOption.ResponseHeadersRead, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RunStream_KeyWithoutRunsRead_Answers403()
    {
        var writeOnly = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:write");
        using var writer = server.CreateClient(writeOnly);

        using var response = await writer.GetAsync("/v1/runs/stream", HttpCompletionOption.ResponseHeadersRead, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task RunStream_V01Alias_StreamsToo()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research("Alias"));
        var watched = new RunWatch(agentId);
        var stream = _client.ReadStreamAsync($"/v0.1/runs/stream?agentId={agentId}", until: watched.Until("done"), opened: watched.Opened);
        await watched.WaitOpenedAsync();
        await _client.StartRunAsync(agentId, new { topic = "alias" });

        (await stream).Events.Last().Status().ShouldBe("done");
    }

    private static List<string> StatusesOf(SseReplay replay, string runId) =>
        [.. replay.Events.Where(e => e.Id() == runId).Select(e => e.Status())];

    /// <summary>
    /// What a test watches on a stream: the runs of one agent made for the test. The stream opens before the run exists,
    /// so the stop conditions go by agent and status, which are known before the run's first change can arrive.
    /// </summary>
    private sealed class RunWatch(string agentId)
    {
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completed with "pending" when the stream showed a run of the agent pending.</summary>
        public TaskCompletionSource<string> SawPending { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Opened() => _opened.TrySetResult();

        public Task WaitOpenedAsync() => _opened.Task.WaitAsync(OpenTimeout, Ct);

        /// <summary>Stops at the first message that shows a run of the agent with <paramref name="status"/>.</summary>
        public Func<SseMessage, bool> Until(string status) => message => Status(message) == status;

        /// <summary>Stops at the first message about a run of the agent.</summary>
        public Func<SseMessage, bool> UntilAny() => message => Status(message) is not null;

        private string? Status(SseMessage message)
        {
            using var document = JsonDocument.Parse(message.Data);
            var run = document.RootElement;
            if (run.GetProperty("agentId").GetString() != agentId)
            {
                return null;
            }

            var status = run.GetProperty("status").GetString();
            if (status == "pending")
            {
                SawPending.TrySetResult(status);
            }

            return status;
        }
    }
}
