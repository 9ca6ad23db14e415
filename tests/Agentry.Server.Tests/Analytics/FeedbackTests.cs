using System.Net;
using System.Net.Http.Json;
using System.Text;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;

namespace Agentry.Server.Tests.Analytics;

/// <summary><c>POST/GET /v1/runs/{runId}/feedback</c>: validation, the replace rule, finished runs only, organizations apart.</summary>
public sealed class FeedbackTests
{
    private static readonly DateTimeOffset Start = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feedback_SecondScoreForAKey_ReplacesTheFirst_AndOtherKeysStay()
    {
        await using var server = AnalyticsServer.Start(Start);
        var agentId = await server.Client.CreateAgentAsync(AnalyticsServer.Agent());
        var run = (await server.RunBatchAsync(agentId, new { topic = "judged", durationMs = 100 }))[0];

        var first = await server.Client.PostJsonAsync($"/v1/runs/{run.Id()}/feedback", new { key = "accuracy", score = 0.25, comment = "thin" }, HttpStatusCode.Created);
        await server.Client.PostJsonAsync($"/v1/runs/{run.Id()}/feedback", new { key = "helpfulness", score = 1 }, HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromMinutes(5));
        var second = await server.Client.PostJsonAsync($"/v1/runs/{run.Id()}/feedback", new { key = "accuracy", score = 0.75 }, HttpStatusCode.OK);
        var list = await server.Client.GetFromJsonElementAsync($"/v1/runs/{run.Id()}/feedback");
        var analytics = await server.Client.GetFromJsonElementAsync($"/v1/analytics/agents/{agentId}?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z");

        first.GetProperty("comment").GetString().ShouldBe("thin");
        second.GetProperty("createdAt").GetString().ShouldBe(first.GetProperty("createdAt").GetString(), "a replacement keeps when the key was first scored");
        second.GetProperty("updatedAt").GetString().ShouldBe("2026-04-01T09:05:00.100Z");
        second.GetProperty("comment").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null, "the comment is replaced with the score");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        items.Select(static i => i.GetProperty("key").GetString()).ShouldBe(["accuracy", "helpfulness"]);
        items.Select(static i => i.GetProperty("score").GetDouble()).ShouldBe([0.75, 1.0]);
        var feedback = analytics.GetProperty("total").GetProperty("feedback");
        feedback.GetProperty("accuracy").GetProperty("count").GetInt64().ShouldBe(1);
        feedback.GetProperty("accuracy").GetProperty("mean").GetDouble().ShouldBe(0.75);
        feedback.GetProperty("helpfulness").GetProperty("mean").GetDouble().ShouldBe(1.0);
    }

    [Theory]
    [InlineData("{}", "/key,/score")]
    [InlineData("""{"key":"","score":2}""", "/key,/score")]
    [InlineData("""{"key":"accuracy","score":"high"}""", "/score")]
    [InlineData("""{"key":"accuracy","score":-0.1}""", "/score")]
    [InlineData("""{"key":"two words","score":0.5,"comment":5}""", "/key,/comment")]
    [InlineData("""{"key":7,"score":0.5}""", "/key")]
    [InlineData("[1]", "")]
    public async Task Feedback_InvalidBody_Answers422NamingEachField_AndStoresNothing(string body, string paths)
    {
        await using var server = AnalyticsServer.Start(Start);
        var agentId = await server.Client.CreateAgentAsync(AnalyticsServer.Agent());
        var run = (await server.RunBatchAsync(agentId, new { topic = "judged" }))[0];

        using var response = await server.Client.PostAsync(
            $"/v1/runs/{run.Id()}/feedback", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input");
        problem.ErrorPaths().ShouldBe(paths.Split(','));
        (await server.Client.GetFromJsonElementAsync($"/v1/runs/{run.Id()}/feedback")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Feedback_UnknownRunOrAnotherOrganizationsRun_Answers404()
    {
        await using var server = AnalyticsServer.Start(Start);
        var other = await server.Factory.CreateOrganizationAsync();
        using var otherClient = server.Factory.CreateClient(other.AdminKey);
        var theirAgent = await otherClient.CreateAgentAsync(AnalyticsServer.Agent());
        var theirRun = (await AnalyticsServer.RunBatchAsync(otherClient, theirAgent, new { topic = "theirs" }))[0];

        foreach (var runId in new[] { "run_unknown", theirRun.Id() })
        {
            using var post = await server.Client.PostAsJsonAsync($"/v1/runs/{runId}/feedback", new { key = "accuracy", score = 1 }, Ct);
            using var get = await server.Client.GetAsync($"/v1/runs/{runId}/feedback", Ct);
            await post.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
            await get.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        (await otherClient.GetFromJsonElementAsync($"/v1/runs/{theirRun.Id()}/feedback")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Feedback_RunStillRunning_Answers409()
    {
        await using var server = AnalyticsServer.Start(Start);
        var agentId = await server.Client.CreateAgentAsync(AnalyticsServer.Agent());
        var held = await server.Client.StartRunAsync(agentId, new { topic = "held", hold = true });
        await server.Client.WaitForRunningAsync(held.Id());

        using var response = await server.Client.PostAsJsonAsync($"/v1/runs/{held.Id()}/feedback", new { key = "accuracy", score = 1 }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "conflict");
        server.Model.Held.Release();
        await server.Client.WaitForEndAsync(held.Id());
        await server.Client.PostJsonAsync($"/v1/runs/{held.Id()}/feedback", new { key = "accuracy", score = 1 }, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Feedback_KeyWithoutWriteScope_Answers403()
    {
        await using var server = AnalyticsServer.Start(Start);
        var agentId = await server.Client.CreateAgentAsync(AnalyticsServer.Agent());
        var run = (await server.RunBatchAsync(agentId, new { topic = "judged" }))[0];
        using var reader = server.Factory.CreateClient(await server.Factory.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read"));

        using var post = await reader.PostAsJsonAsync($"/v1/runs/{run.Id()}/feedback", new { key = "accuracy", score = 1 }, Ct);
        using var get = await reader.GetAsync($"/v1/runs/{run.Id()}/feedback", Ct);

        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        get.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
