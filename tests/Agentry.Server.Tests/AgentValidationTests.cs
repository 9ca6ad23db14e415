using System.Net;
using System.Net.Http.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class AgentValidationTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<System.Text.Json.JsonElement> CreateRefusedAsync(object body, string code)
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PostAsJsonAsync("/v1/agents", body, Ct);
        return await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, code);
    }

    [Fact]
    public async Task AgentCreate_EmptyObject_Answers422WithEveryRequiredField()
    {
        var problem = await CreateRefusedAsync(new { }, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/modelStackId", "/goalPrompt", "/inputSchema", "/resultType"]);
        problem.GetProperty("message").GetString()!.ShouldStartWith("4 problems: ");
        problem.GetProperty("errors")[0].GetProperty("keyword").GetString().ShouldBe("required");
    }

    [Fact]
    public async Task AgentCreate_InvalidInputSchema_Answers422InvalidSchemaWithPath()
    {
        var body = TestAgents.Research();
        body["inputSchema"] = new { type = "object", properties = new { x = new { type = "strin" } } };
        var problem = await CreateRefusedAsync(body, "invalid_schema");
        problem.ErrorPaths().ShouldAllBe(path => path.StartsWith("/inputSchema/properties/x/type"));
        problem.GetProperty("errors")[0].TryGetProperty("schemaPath", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task AgentCreate_InvalidResultSchema_Answers422InvalidSchemaWithPath()
    {
        var body = TestAgents.JsonResult();
        body["resultSchema"] = new { type = "object", required = "summary" };
        var problem = await CreateRefusedAsync(body, "invalid_schema");
        problem.ErrorPaths().ShouldAllBe(path => path.StartsWith("/resultSchema/required"));
    }

    [Fact]
    public async Task AgentCreate_SchemaAndOtherProblems_Answers422InvalidAgentWithAll()
    {
        var body = TestAgents.Research();
        body["inputSchema"] = new { type = 5 };
        body["resultType"] = "xml";
        var problem = await CreateRefusedAsync(body, "invalid_agent");
        var paths = problem.ErrorPaths();
        paths.ShouldContain("/resultType");
        paths.ShouldContain(path => path.StartsWith("/inputSchema/type"));
    }

    [Fact]
    public async Task AgentCreate_JsonWithoutResultSchema_Answers422()
    {
        var body = TestAgents.Research();
        body["resultType"] = "json";
        (await CreateRefusedAsync(body, "invalid_agent")).ErrorPaths().ShouldBe(["/resultSchema"]);
    }

    [Fact]
    public async Task AgentCreate_DocumentWithResultSchema_Answers422()
    {
        var body = TestAgents.JsonResult();
        body["resultType"] = "document";
        (await CreateRefusedAsync(body, "invalid_agent")).ErrorPaths().ShouldBe(["/resultSchema"]);
    }

    [Fact]
    public async Task AgentCreate_TemplateThatDoesNotCompile_Answers422AtGoalPrompt()
    {
        var body = TestAgents.Research();
        body["goalPrompt"] = "Research {{#if topic}} without closing";
        var problem = await CreateRefusedAsync(body, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/goalPrompt"]);
        problem.GetProperty("message").GetString()!.ShouldContain("Handlebars");
    }

    [Fact]
    public async Task AgentCreate_BadTools_Answers422ForEachItem()
    {
        var body = TestAgents.Research();
        body["tools"] = new object[]
        {
            new { source = "builtin", type = "searchWeb" },
            new { source = "builtin", type = "teleport" },
            new { source = "mcp" },
            new { source = "plugin" },
            new { source = "mcp", serverId = "files", enabledTools = new[] { "read" } },
        };
        (await CreateRefusedAsync(body, "invalid_agent")).ErrorPaths().ShouldBe(["/tools/1/type", "/tools/2/serverId", "/tools/3/source"]);
    }

    [Fact]
    public async Task AgentCreate_UnknownMcpServer_Answers422NamingTheConfiguredServers()
    {
        var body = TestAgents.Research();
        body["tools"] = new object[] { new { source = "builtin", type = "browseWebsite" }, new { source = "mcp", serverId = "nope" } };
        var problem = await CreateRefusedAsync(body, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/tools/1/serverId"]);
        problem.GetProperty("message").GetString()!.ShouldContain("configured: files");
    }

    [Fact]
    public async Task AgentCreate_McpToolTheServerDoesNotHave_Answers422AtTheEnabledTool()
    {
        var body = TestAgents.Research();
        body["tools"] = new object[] { new { source = "mcp", serverId = "files", enabledTools = new[] { "read", "delete" } } };
        var problem = await CreateRefusedAsync(body, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/tools/0/enabledTools/1"]);
        problem.GetProperty("message").GetString()!.ShouldContain("fail, read, search");
    }

    [Fact]
    public async Task AgentCreate_UnreachableMcpServer_Answers422WithTheReason()
    {
        await using var down = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Mcp:Servers:down:Command"] = "/nonexistent/mcp-server" });
        using var client = down.CreateAdminClient();
        var body = TestAgents.Research();
        body["tools"] = new object[] { new { source = "mcp", serverId = "down" } };
        using var response = await client.PostAsJsonAsync("/v1/agents", body, Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/tools/0/serverId"]);
        problem.GetProperty("message").GetString()!.ShouldContain("MCP server 'down' could not be reached");
    }

    [Fact]
    public async Task AgentCreate_NonPositiveLimits_Answers422ForEach()
    {
        var body = TestAgents.Research();
        body["limits"] = new { maxSteps = 0, timeoutSeconds = -1, maxTokens = 100, maxCostUsd = 0 };
        (await CreateRefusedAsync(body, "invalid_agent")).ErrorPaths().ShouldBe(["/limits/maxSteps", "/limits/timeoutSeconds", "/limits/maxCostUsd"]);
    }

    [Fact]
    public async Task AgentCreate_UnknownModelStack_Answers422NamingAvailableStacks()
    {
        var body = TestAgents.Research();
        body["modelStackId"] = "acme/gpt-9";
        var problem = await CreateRefusedAsync(body, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/modelStackId"]);
        problem.GetProperty("message").GetString()!.ShouldContain("local/offline");
    }

    [Fact]
    public async Task AgentCreate_FieldOfWrongType_Answers422NamingIt()
    {
        var body = TestAgents.Research();
        body["tools"] = "searchWeb";
        (await CreateRefusedAsync(body, "invalid_agent")).ErrorPaths().ShouldBe(["/tools"]);
    }

    [Fact]
    public async Task AgentCreate_BadWebhookUrl_Answers422()
    {
        var body = TestAgents.Research();
        body["webhookUrl"] = "ftp://example.com/hook";
        (await CreateRefusedAsync(body, "invalid_agent")).ErrorPaths().ShouldBe(["/webhookUrl"]);
    }

    [Fact]
    public async Task AgentCreate_Refused_StoresNothing()
    {
        var organization = await server.CreateOrganizationAsync("Nothing stored");
        using var client = server.CreateClient(organization.AdminKey);
        var body = TestAgents.Research();
        body["resultType"] = "json";
        using (var refused = await client.PostAsJsonAsync("/v1/agents", body, Ct))
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        }

        var list = await (await client.GetAsync("/v1/agents", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("total").GetInt32().ShouldBe(0);
    }
}
