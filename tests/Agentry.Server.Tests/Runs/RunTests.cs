using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests.Runs;

public sealed class RunTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartRun_InputMissingRequiredProperty_Answers422NamingThePointerAndStoresNothing()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        using var response = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs", new { }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input");
        problem.ErrorPaths().ShouldBe(["/topic"]);
        problem.GetProperty("message").GetString()!.ShouldContain("/topic is required");
        var runs = await _client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}/runs", Ct);
        runs.GetProperty("total").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task StartRun_EveryViolation_IsListedWithItsPointer()
    {
        var agent = RunApi.Research();
        agent["inputSchema"] = JsonDocument.Parse("""
            {"type":"object","required":["topic","email"],
             "properties":{"topic":{"type":"string","minLength":3},"email":{"type":"string","format":"email"},
                           "depth":{"type":"integer","maximum":5},"level":{"enum":["low","medium","high"]}}}
            """).RootElement;
        var agentId = await _client.CreateAgentAsync(agent);

        using var response = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs", new { topic = "AI", email = "not-an-email", depth = 9, level = "extreme" }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input");
        problem.ErrorPaths().ShouldBe(["/topic", "/email", "/depth", "/level"], ignoreOrder: true);
    }

    [Fact]
    public async Task StartRun_InputNotAnObject_Answers422()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        using var response = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs", new[] { 1, 2 }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input");
        problem.ErrorPaths().ShouldBe([""]);
    }

    [Fact]
    public async Task StartRun_ValidInput_EndsDoneWithResultAndEventsInOrder()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        var created = await _client.StartRunAsync(agentId, new { topic = "AI in healthcare" });
        created.Status().ShouldBeOneOf("pending", "running", "done");
        var run = await _client.WaitForEndAsync(created.Id());

        run.Status().ShouldBe("done", run.ToString());
        run.GetProperty("resultData").GetProperty("result").GetString()!.ShouldContain("AI in healthcare");
        run.GetProperty("model").GetString().ShouldBe("local/offline");
        run.GetProperty("attempt").GetInt32().ShouldBe(1);
        run.GetProperty("usage").GetProperty("modelCalls").GetInt32().ShouldBeGreaterThan(0);
        var events = await _client.GetEventsAsync(run.Id());
        events.Select(e => e.GetProperty("seq").GetInt32()).ShouldBe(Enumerable.Range(1, events.Count));
        events[0].GetProperty("type").GetString().ShouldBe("status");
        events[0].GetProperty("data").GetProperty("status").GetString().ShouldBe("pending");
        events[1].GetProperty("data").GetProperty("status").GetString().ShouldBe("running");
        events.Select(e => e.GetProperty("type").GetString()).ShouldContain("planning");
        events[^2].GetProperty("type").GetString().ShouldBe("result");
        events[^1].GetProperty("data").GetProperty("status").GetString().ShouldBe("done");
        events.ShouldAllBe(e => e.GetProperty("finishedAt").ValueKind != JsonValueKind.Null);
        events.ShouldAllBe(e => e.GetProperty("timestamp").GetString() == e.GetProperty("startedAt").GetString());
    }

    [Fact]
    public async Task StartRun_JsonAgent_ProducesResultValidAgainstResultSchema()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.JsonResult());

        var created = await _client.StartRunAsync(agentId, new { topic = "batteries" });
        var run = await _client.WaitForEndAsync(created.Id());

        run.Status().ShouldBe("done", run.ToString());
        run.GetProperty("resultData").GetProperty("summary").ValueKind.ShouldBe(JsonValueKind.String);
    }

    [Fact]
    public async Task StartRun_WithWait_AnswersTheEndedRun()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        var run = await _client.PostJsonAsync($"/v1/agents/{agentId}/runs?wait=30", new { topic = "waiting" }, HttpStatusCode.Created);

        run.Status().ShouldBe("done");
    }

    [Theory]
    [InlineData("61")]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task StartRun_WaitOutOfRange_Answers400(string wait)
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        using var response = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs?wait={wait}", new { topic = "x" }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        problem.GetProperty("message").GetString()!.ShouldContain("wait");
    }

    [Fact]
    public async Task StartRun_MalformedBody_Answers400MalformedJson()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        using var content = new StringContent("{\"topic\": ", System.Text.Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync($"/v1/agents/{agentId}/runs", content, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_json");
    }

    [Fact]
    public async Task StartRun_SameIdempotencyKeyAndInput_AnswersTheSameRunWith200()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());

        var first = await PostWithKeyAsync(agentId, "key-1", new { topic = "same" }, HttpStatusCode.Created);
        var second = await PostWithKeyAsync(agentId, "key-1", new { topic = "same" }, HttpStatusCode.OK);

        second.Id().ShouldBe(first.Id());
        var runs = await _client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}/runs", Ct);
        runs.GetProperty("total").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task StartRun_SameIdempotencyKeyOtherInput_Answers409()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        await PostWithKeyAsync(agentId, "key-2", new { topic = "one" }, HttpStatusCode.Created);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/agents/{agentId}/runs") { Content = JsonContent.Create(new { topic = "two" }) };
        request.Headers.Add("Idempotency-Key", "key-2");
        using var response = await _client.SendAsync(request, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "conflict");
        problem.GetProperty("message").GetString()!.ShouldContain("key-2");
    }

    [Fact]
    public async Task StartRun_UnknownAgent_Answers404()
    {
        using var response = await _client.PostAsJsonAsync("/v1/agents/agt_missing/runs", new { topic = "x" }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task StartRun_DeletedAgent_Answers409AndOldRunsStayReadable()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var before = await _client.StartRunAsync(agentId, new { topic = "before" });
        (await _client.DeleteAsync($"/v1/agents/{agentId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var response = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs", new { topic = "after" }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "conflict");
        (await _client.GetRunAsync(before.Id())).Id().ShouldBe(before.Id());
    }

    [Fact]
    public async Task StartRun_RevisionRules_RequestedThenPublishedThenLatest()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var first = (await _client.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}", Ct)).GetProperty("latestRevisionId").GetString()!;
        await _client.PostJsonAsync($"/v1/agents/{agentId}/publish", new { revisionId = first }, HttpStatusCode.OK);
        using var patch = await _client.PatchAsJsonAsync($"/v1/agents/{agentId}", new { goalPrompt = "Study {{topic}} carefully." }, Ct);
        var second = (await patch.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("latestRevisionId").GetString()!;
        second.ShouldNotBe(first);

        (await _client.StartRunAsync(agentId, new { topic = "a" })).GetProperty("revisionId").GetString().ShouldBe(first);
        (await _client.PostJsonAsync($"/v1/agents/{agentId}/runs?revisionId={second}", new { topic = "b" }, HttpStatusCode.Created))
            .GetProperty("revisionId").GetString().ShouldBe(second);
        using var unknown = await _client.PostAsJsonAsync($"/v1/agents/{agentId}/runs?revisionId=rev_missing", new { topic = "c" }, Ct);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task StartRun_UnpublishedAgent_UsesLatestRevision()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        using var patch = await _client.PatchAsJsonAsync($"/v1/agents/{agentId}", new { goalPrompt = "Look into {{topic}}." }, Ct);
        var latest = (await patch.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("latestRevisionId").GetString();

        (await _client.StartRunAsync(agentId, new { topic = "a" })).GetProperty("revisionId").GetString().ShouldBe(latest);
    }

    [Fact]
    public async Task Rerun_FinishedRun_StartsANewRunWithTheSameInputAndRevision()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var original = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "again" })).Id());

        var rerun = await _client.PostJsonAsync($"/v1/runs/{original.Id()}/rerun", new { }, HttpStatusCode.Created);

        rerun.Id().ShouldNotBe(original.Id());
        rerun.GetProperty("input").GetProperty("topic").GetString().ShouldBe("again");
        rerun.GetProperty("revisionId").GetString().ShouldBe(original.GetProperty("revisionId").GetString());
        (await _client.WaitForEndAsync(rerun.Id())).Status().ShouldBe("done");
    }

    [Fact]
    public async Task GetRun_UnderAnotherAgentsPath_Answers404()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var otherAgentId = await _client.CreateAgentAsync(RunApi.Research("Other"));
        var run = await _client.StartRunAsync(agentId, new { topic = "x" });

        (await _client.GetAsync($"/v1/agents/{agentId}/runs/{run.Id()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var response = await _client.GetAsync($"/v1/agents/{otherAgentId}/runs/{run.Id()}", Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Runs_OfAnotherOrganization_AnswerExactlyAsIfAbsent()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var run = await _client.WaitForEndAsync((await _client.StartRunAsync(agentId, new { topic = "private" })).Id());
        var other = await server.CreateOrganizationAsync("Isolation org");
        using var stranger = server.CreateClient(other.AdminKey);

        foreach (var path in new[] { $"/v1/runs/{run.Id()}", $"/v1/runs/{run.Id()}/events", $"/v1/runs/{run.Id()}/events/stream", $"/v1/agents/{agentId}/runs" })
        {
            using var response = await stranger.GetAsync(path, Ct);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using (var cancel = await stranger.PostAsync($"/v1/runs/{run.Id()}/cancel", null, Ct))
        {
            await cancel.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using (var rerun = await stranger.PostAsync($"/v1/runs/{run.Id()}/rerun", null, Ct))
        {
            await rerun.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using (var start = await stranger.PostAsJsonAsync($"/v1/agents/{agentId}/runs", new { topic = "x" }, Ct))
        {
            await start.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        var list = await stranger.GetFromJsonAsync<JsonElement>("/v1/runs", Ct);
        list.GetProperty("items").EnumerateArray().ShouldNotContain(r => r.Id() == run.Id());
    }

    [Fact]
    public async Task Runs_KeyWithoutRunsScopes_Answers403()
    {
        var agentId = await _client.CreateAgentAsync(RunApi.Research());
        var readOnly = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read");
        using var reader = server.CreateClient(readOnly);

        using var start = await reader.PostAsJsonAsync($"/v1/agents/{agentId}/runs", new { topic = "x" }, Ct);
        await start.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        (await reader.GetAsync("/v1/runs", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<JsonElement> PostWithKeyAsync(string agentId, string key, object input, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/agents/{agentId}/runs") { Content = JsonContent.Create(input) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await _client.SendAsync(request, Ct);
        return await response.ShouldBeJsonAsync(status);
    }
}
