using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests.Runs;

/// <summary>Cancellation, timeouts, shutdown and batches: the engine seen through the API.</summary>
public sealed class RunLifecycleTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_RunningRun_EndsItCancelledWithinASecondAndKeepsItsUsage()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent());
        var run = await _client.StartRunAsync(agentId, new { topic = "cancel me" });
        await _client.WaitForRunningAsync(run.Id());

        var started = DateTime.UtcNow;
        using var response = await _client.PostAsync($"/v1/runs/{run.Id()}/cancel", null, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var ended = await _client.WaitForEndAsync(run.Id());

        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(5));
        ended.Status().ShouldBe("error");
        ended.ErrorCode().ShouldBe("cancelled");
        var events = await _client.GetEventsAsync(run.Id());
        events[^1].GetProperty("data").GetProperty("status").GetString().ShouldBe("error");
        events.ShouldAllBe(e => e.GetProperty("finishedAt").ValueKind != JsonValueKind.Null, "no step of a cancelled run is left open");
        ended.GetProperty("error").GetProperty("eventSeq").GetInt32().ShouldBe(events.Single(e => e.GetProperty("type").GetString() == "error").GetProperty("seq").GetInt32());
    }

    [Fact]
    public async Task Cancel_RequestedOnAnotherNode_ReachesTheRunAtTheNextHeartbeat()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent("Far cancel"));
        var run = await _client.StartRunAsync(agentId, new { topic = "elsewhere" });
        var running = await _client.WaitForRunningAsync(run.Id());

        // What another node's API does: only the stored flag, no in-process signal to this node's worker.
        var store = server.Services.GetRequiredService<Agentry.Core.Storage.IRunStore>();
        var stored = await store.GetForEngineAsync(run.Id(), Ct);
        (await store.RequestCancelAsync(stored!.OrganizationId, run.Id(), DateTimeOffset.UtcNow, Ct)).ShouldBeTrue();
        var ended = await _client.WaitForEndAsync(run.Id());

        running.Status().ShouldBe("running");
        ended.ErrorCode().ShouldBe("cancelled");
    }

    [Fact]
    public async Task Cancel_EndedRun_Answers409()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "done" })).Id());

        using var response = await _client.PostAsync($"/v1/runs/{run.Id()}/cancel", null, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "conflict");
    }

    [Fact]
    public async Task Cancel_UnderAgentPath_Works()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent());
        var run = await _client.StartRunAsync(agentId, new { topic = "x" });

        using var response = await _client.PostAsync($"/v1/agents/{agentId}/runs/{run.Id()}/cancel", null, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _client.WaitForEndAsync(run.Id())).ErrorCode().ShouldBe("cancelled");
    }

    [Fact]
    public async Task Timeout_RunPastItsLimit_EndsWithTimeout()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent(timeoutSeconds: 1));

        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "slow" })).Id());

        run.Status().ShouldBe("error");
        run.ErrorCode().ShouldBe("timeout");
        run.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("1 second");
    }

    [Fact]
    public async Task Run_AgentWithAToolThisServerLacks_EndsWithToolUnavailableNamingIt()
    {
        var agent = RunApi.Research("Searcher");
        agent["tools"] = new object[] { new { source = "builtin", type = "searchWeb" } };
        var agentId = await _client.CreateAgentAsync(agent);

        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "x" })).Id());

        run.ErrorCode().ShouldBe("tool_unavailable");
        run.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("searchWeb");
    }

    [Fact]
    public async Task Run_AgentWithBuiltinToolsTheServerProvides_Runs()
    {
        var agent = RunApi.Research("Coder");
        agent["tools"] = new object[] { new { source = "builtin", type = "codeInterpreter" }, new { source = "builtin", type = "browseWebsite" } };
        var agentId = await _client.CreateAgentAsync(agent);

        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "x" })).Id());

        run.Status().ShouldBe("done", run.ToString());
    }

    [Fact]
    public async Task Batch_ValidInputs_StartsOneRunPerInputInOrder()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        var batch = await _client.PostJsonAsync($"/v1/agents/{agentId}/runs/batch", new { inputs = new[] { new { topic = "a" }, new { topic = "b" }, new { topic = "c" } } }, HttpStatusCode.Created);

        var runs = batch.GetProperty("items").EnumerateArray().ToList();
        runs.Select(r => r.GetProperty("input").GetProperty("topic").GetString()).ShouldBe(["a", "b", "c"]);
        foreach (var run in runs)
        {
            (await _client.WaitForEndAsync(run.Id())).Status().ShouldBe("done");
        }
    }

    [Fact]
    public async Task Batch_SomeInvalidInputs_Answers422NamingEachIndexAndStartsNothing()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        using var response = await _client.PostAsJsonAsync(
            $"/v1/agents/{agentId}/runs/batch",
            new { inputs = new object[] { new { topic = "ok" }, new { }, new { topic = "ok" }, new { topic = 5 } } },
            Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input");
        problem.ErrorPaths().ShouldBe(["/inputs/1/topic", "/inputs/3/topic"]);
        var runs = await _client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}/runs", Ct);
        runs.GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Batch_TooManyOrNoInputs_Answers422()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        using var tooMany = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs/batch", new { inputs = Enumerable.Repeat(new { topic = "x" }, 1001) }, Ct);
        using var none = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs/batch", new { inputs = Array.Empty<object>() }, Ct);
        using var missing = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs/batch", new { }, Ct);

        (await tooMany.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input")).ErrorPaths().ShouldBe(["/inputs"]);
        (await none.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input")).ErrorPaths().ShouldBe(["/inputs"]);
        await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task ListRuns_CursorPaging_VisitsEveryRunOnceNewestFirst()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var batch = await _client.PostJsonAsync($"/v1/agents/{agentId}/runs/batch", new { inputs = Enumerable.Range(0, 7).Select(i => new { topic = $"t{i}" }) }, HttpStatusCode.Created);
        var created = batch.GetProperty("items").EnumerateArray().Select(r => r.Id()).ToList();

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs?agentId={agentId}&limit=3{(cursor is null ? string.Empty : "&cursor=" + cursor)}", Ct);
            page.GetProperty("total").GetInt64().ShouldBe(7);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.Id()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        seen.ShouldBe(Enumerable.Reverse(created).ToList());
    }

    [Fact]
    public async Task ListRuns_Filters_SelectByStatusErrorCodeAndTime()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.SlowAgent("Filters"));
        var cancelled = await _client.StartRunAsync(agentId, new { topic = "c" });
        (await _client.PostAsync($"/v1/runs/{cancelled.Id()}/cancel", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await _client.WaitForEndAsync(cancelled.Id());

        var errors = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs?agentId={agentId}&status=error&errorCode=cancelled", Ct);
        errors.GetProperty("items").EnumerateArray().Select(r => r.Id()).ShouldBe([cancelled.Id()]);
        var done = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs?agentId={agentId}&status=done", Ct);
        done.GetProperty("total").GetInt64().ShouldBe(0);
        var future = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs?agentId={agentId}&createdAfter=2999-01-01T00:00:00Z", Ct);
        future.GetProperty("total").GetInt64().ShouldBe(0);
        var past = await _client.GetFromJsonAsync<JsonElement>($"/v1/runs?agentId={agentId}&createdBefore=2999-01-01T00:00:00Z", Ct);
        past.GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Theory]
    [InlineData("status=finished")]
    [InlineData("errorCode=oops")]
    [InlineData("createdAfter=yesterday")]
    [InlineData("cursor=not-a-cursor")]
    [InlineData("limit=101")]
    public async Task ListRuns_BadFilter_Answers400NamingIt(string query)
    {
        using var response = await _client.GetAsync($"/v1/runs?{query}", Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        problem.GetProperty("message").GetString()!.ShouldContain(query.Split('=')[0]);
    }
}
