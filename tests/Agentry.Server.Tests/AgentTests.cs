using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class AgentTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, JsonElement Agent)> NewOrganizationWithAgentAsync(Dictionary<string, object?>? body = null)
    {
        var organization = await server.CreateOrganizationAsync();
        var client = server.CreateClient(organization.AdminKey);
        var agent = await client.PostJsonAsync("/v1/agents", body ?? TestAgents.Research(), HttpStatusCode.Created);
        return (client, agent);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path) =>
        await (await client.GetAsync(path, Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> PatchAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PatchAsJsonAsync(path, body, Ct);
        return await response.ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AgentCreate_ValidBody_AnswersFlatAgentWithFirstRevision()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsJsonAsync("/v1/agents", TestAgents.JsonResult("Flat"), Ct);
        var agent = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        response.Headers.Location!.ToString().ShouldBe($"/v1/agents/{agent.GetProperty("id").GetString()}");

        agent.GetProperty("id").GetString()!.ShouldStartWith("agt_");
        agent.GetProperty("name").GetString().ShouldBe("Flat");
        agent.GetProperty("description").GetString().ShouldBe("Researches a topic.");
        agent.GetProperty("modelStackId").GetString().ShouldBe("local/offline");
        agent.GetProperty("goalPrompt").GetString().ShouldBe("Research {{topic}}.");
        agent.GetProperty("inputSchema").GetProperty("required")[0].GetString().ShouldBe("topic");
        agent.GetProperty("tools")[0].EnumerateObject().Select(p => $"{p.Name}={p.Value}").ShouldBe(["source=builtin", "type=searchWeb"]);
        agent.GetProperty("resultType").GetString().ShouldBe("json");
        agent.GetProperty("resultSchema").GetProperty("type").GetString().ShouldBe("object");
        agent.GetProperty("enableContextCompression").GetBoolean().ShouldBeFalse();
        agent.GetProperty("drives").GetArrayLength().ShouldBe(0);
        agent.GetProperty("limits").TryGetProperty("maxSteps", out _).ShouldBeTrue();
        agent.GetProperty("isActive").GetBoolean().ShouldBeTrue();
        agent.GetProperty("latestRevisionId").GetString()!.ShouldStartWith("rev_");
        agent.GetProperty("publishedRevisionId").ValueKind.ShouldBe(JsonValueKind.Null);
        agent.GetProperty("isPublished").GetBoolean().ShouldBeFalse();
        agent.GetProperty("hasChanges").GetBoolean().ShouldBeTrue();
        agent.GetProperty("createdAt").GetString()!.ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        agent.GetProperty("updatedAt").GetString().ShouldBe(agent.GetProperty("createdAt").GetString());
        foreach (var field in new[] { "customPlanningInstructions", "customToolCallInstructions", "customResultInstructions", "webhookUrl" })
        {
            agent.TryGetProperty(field, out _).ShouldBeTrue(field);
        }
    }

    [Fact]
    public async Task AgentCreate_McpTool_RoundTripsServerAndEnabledTools()
    {
        var body = TestAgents.Research();
        body["tools"] = new object[] { new { source = "mcp", serverId = "files", enabledTools = new[] { "read", "search" } } };
        var (client, agent) = await NewOrganizationWithAgentAsync(body);
        using var _ = client;
        var fetched = await GetAsync(client, $"/v1/agents/{agent.GetProperty("id").GetString()}");
        var tool = fetched.GetProperty("tools")[0];
        tool.EnumerateObject().Select(p => p.Name).ShouldBe(["source", "serverId", "enabledTools"]);
        tool.GetProperty("serverId").GetString().ShouldBe("files");
        tool.GetProperty("enabledTools").EnumerateArray().Select(t => t.GetString()).ShouldBe(["read", "search"]);
    }

    [Fact]
    public async Task AgentGet_Created_AnswersSameAgent()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var fetched = await GetAsync(client, $"/v1/agents/{agent.GetProperty("id").GetString()}");
        JsonElement.DeepEquals(fetched, agent).ShouldBeTrue();
    }

    [Fact]
    public async Task AgentList_SeveralAgents_NewestFirstWithPaging()
    {
        var organization = await server.CreateOrganizationAsync();
        using var client = server.CreateClient(organization.AdminKey);
        foreach (var name in new[] { "first", "second", "third" })
        {
            await client.PostJsonAsync("/v1/agents", TestAgents.Research(name), HttpStatusCode.Created);
        }

        var page = await GetAsync(client, "/v1/agents?limit=2&offset=1");
        page.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ShouldBe(["second", "first"]);
        page.GetProperty("total").GetInt32().ShouldBe(3);
        page.GetProperty("limit").GetInt32().ShouldBe(2);
        page.GetProperty("offset").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task AgentPatch_RenameOnly_MakesNoRevision()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        var patched = await PatchAsync(client, $"/v1/agents/{id}", new { name = "Renamed", description = "New words", isActive = false });

        patched.GetProperty("name").GetString().ShouldBe("Renamed");
        patched.GetProperty("description").GetString().ShouldBe("New words");
        patched.GetProperty("isActive").GetBoolean().ShouldBeFalse();
        patched.GetProperty("latestRevisionId").GetString().ShouldBe(agent.GetProperty("latestRevisionId").GetString());
        (await GetAsync(client, $"/v1/agents/{id}/revisions")).GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task AgentPatch_ConfigChange_MakesNewRevisionKeepingOtherFields()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        var patched = await PatchAsync(client, $"/v1/agents/{id}", new { goalPrompt = "Research {{topic}} deeply." });

        patched.GetProperty("goalPrompt").GetString().ShouldBe("Research {{topic}} deeply.");
        patched.GetProperty("latestRevisionId").GetString().ShouldNotBe(agent.GetProperty("latestRevisionId").GetString());
        JsonElement.DeepEquals(patched.GetProperty("inputSchema"), agent.GetProperty("inputSchema")).ShouldBeTrue();
        patched.GetProperty("name").GetString().ShouldBe(agent.GetProperty("name").GetString());
        var revisions = await GetAsync(client, $"/v1/agents/{id}/revisions");
        revisions.GetProperty("total").GetInt32().ShouldBe(2);
        revisions.GetProperty("items")[0].GetProperty("id").GetString().ShouldBe(patched.GetProperty("latestRevisionId").GetString());
    }

    [Fact]
    public async Task AgentPatch_SameConfiguration_MakesNoRevision()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        var patched = await PatchAsync(client, $"/v1/agents/{id}", new { goalPrompt = "Research {{topic}}.", resultType = "document" });
        patched.GetProperty("latestRevisionId").GetString().ShouldBe(agent.GetProperty("latestRevisionId").GetString());
    }

    [Fact]
    public async Task AgentPatch_SwitchToJsonWithoutSchema_Answers422AndChangesNothing()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        using var response = await client.PatchAsJsonAsync($"/v1/agents/{id}", new { resultType = "json", name = "Should not stick" }, Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_agent")).ErrorPaths().ShouldBe(["/resultSchema"]);
        JsonElement.DeepEquals(await GetAsync(client, $"/v1/agents/{id}"), agent).ShouldBeTrue();
    }

    [Fact]
    public async Task AgentPatch_NullResultSchemaWithDocument_SwitchesResultType()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync(TestAgents.JsonResult());
        using var _ = client;
        var patched = await PatchAsync(client, $"/v1/agents/{agent.GetProperty("id").GetString()}", new Dictionary<string, object?> { ["resultType"] = "document", ["resultSchema"] = null });
        patched.GetProperty("resultType").GetString().ShouldBe("document");
        patched.GetProperty("resultSchema").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task AgentPatch_NotAnObject_Answers400()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        using var response = await client.PatchAsJsonAsync($"/v1/agents/{agent.GetProperty("id").GetString()}", new[] { 1, 2 }, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task AgentDelete_Existing_Answers204AndListOmitsIt()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        (await client.DeleteAsync($"/v1/agents/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await GetAsync(client, "/v1/agents")).GetProperty("total").GetInt32().ShouldBe(0);
        // Deleting is soft: the agent and its revisions stay readable (its runs do), changes are refused.
        (await GetAsync(client, $"/v1/agents/{id}")).GetProperty("id").GetString().ShouldBe(id);
        (await GetAsync(client, $"/v1/agents/{id}/revisions")).GetProperty("total").GetInt32().ShouldBe(1);
        using (var patch = await client.PatchAsJsonAsync($"/v1/agents/{id}", new { name = "zombie" }, Ct))
        {
            await patch.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        (await client.DeleteAsync($"/v1/agents/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task AgentGet_UnknownId_Answers404()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync("/v1/agents/agt_unknown", Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AgentPublish_WithoutBody_PublishesLatest()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        using var response = await client.PostAsync($"/v1/agents/{id}/publish", null, Ct);
        var published = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        published.GetProperty("publishedRevisionId").GetString().ShouldBe(agent.GetProperty("latestRevisionId").GetString());
        published.GetProperty("isPublished").GetBoolean().ShouldBeTrue();
        published.GetProperty("hasChanges").GetBoolean().ShouldBeFalse();

        var changed = await PatchAsync(client, $"/v1/agents/{id}", new { goalPrompt = "Changed {{topic}}" });
        changed.GetProperty("hasChanges").GetBoolean().ShouldBeTrue();
        changed.GetProperty("isPublished").GetBoolean().ShouldBeTrue();
        changed.GetProperty("publishedRevisionId").GetString().ShouldBe(agent.GetProperty("latestRevisionId").GetString());

        var revisions = await GetAsync(client, $"/v1/agents/{id}/revisions");
        revisions.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("isPublished").GetBoolean()).ShouldBe([false, true]);
    }

    [Fact]
    public async Task AgentPublish_NamedOlderRevision_PublishesIt()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        var first = agent.GetProperty("latestRevisionId").GetString();
        await PatchAsync(client, $"/v1/agents/{id}", new { goalPrompt = "Second {{topic}}" });

        var published = await client.PostJsonAsync($"/v1/agents/{id}/publish", new { revisionId = first }, HttpStatusCode.OK);
        published.GetProperty("publishedRevisionId").GetString().ShouldBe(first);
        published.GetProperty("goalPrompt").GetString().ShouldBe("Second {{topic}}");
        published.GetProperty("hasChanges").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AgentPublish_UnknownRevision_Answers404()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        using var response = await client.PostAsJsonAsync($"/v1/agents/{agent.GetProperty("id").GetString()}/publish", new { revisionId = "rev_nope" }, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RevisionGet_Existing_AnswersConfig()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        var revisionId = agent.GetProperty("latestRevisionId").GetString();
        var revision = await GetAsync(client, $"/v1/agents/{id}/revisions/{revisionId}");
        revision.GetProperty("id").GetString().ShouldBe(revisionId);
        revision.GetProperty("agentId").GetString().ShouldBe(id);
        revision.GetProperty("isPublished").GetBoolean().ShouldBeFalse();
        revision.GetProperty("config").GetProperty("goalPrompt").GetString().ShouldBe("Research {{topic}}.");
        revision.GetProperty("config").GetProperty("resultType").GetString().ShouldBe("document");

        using var missing = await client.GetAsync($"/v1/agents/{id}/revisions/rev_missing", Ct);
        await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RevisionDiff_TwoRevisions_AnswersOnlyChangedFields()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        var id = agent.GetProperty("id").GetString();
        var from = agent.GetProperty("latestRevisionId").GetString();
        var patched = await PatchAsync(client, $"/v1/agents/{id}", new { goalPrompt = "Summarise {{topic}}", limits = new { maxSteps = 5 } });
        var to = patched.GetProperty("latestRevisionId").GetString();

        var diff = await GetAsync(client, $"/v1/agents/{id}/revisions/diff?from={from}&to={to}");
        diff.GetProperty("from").GetString().ShouldBe(from);
        diff.GetProperty("to").GetString().ShouldBe(to);
        var fields = diff.GetProperty("diff");
        fields.EnumerateObject().Select(p => p.Name).ShouldBe(["goalPrompt", "limits"], ignoreOrder: true);
        fields.GetProperty("goalPrompt").GetProperty("from").GetString().ShouldBe("Research {{topic}}.");
        fields.GetProperty("goalPrompt").GetProperty("to").GetString().ShouldBe("Summarise {{topic}}");
        fields.GetProperty("limits").GetProperty("to").GetProperty("maxSteps").GetInt32().ShouldBe(5);
    }

    [Fact]
    public async Task RevisionDiff_MissingParameters_Answers400()
    {
        var (client, agent) = await NewOrganizationWithAgentAsync();
        using var _ = client;
        using var response = await client.GetAsync($"/v1/agents/{agent.GetProperty("id").GetString()}/revisions/diff", Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request")).ErrorPaths().ShouldBe(["from", "to"]);
    }
}
