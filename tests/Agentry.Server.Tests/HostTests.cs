using System.Net;
using System.Text;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class HostTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    [Fact]
    public async Task Healthz_WithoutKey_Answers200()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readyz_StoreReachable_Answers200WithoutKey()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        body.GetProperty("status").GetString().ShouldBe("Healthy");
        body.GetProperty("checks").GetProperty("store").GetProperty("status").GetString().ShouldBe("Healthy");
        var workers = body.GetProperty("checks").GetProperty("workers");
        workers.GetProperty("status").GetString().ShouldBe("Healthy");
        workers.GetProperty("data").GetProperty("queueDepth").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
        workers.GetProperty("data").GetProperty("concurrency").GetInt32().ShouldBe(32);
    }

    [Fact]
    public async Task UnknownRoute_WithoutKey_Answers401()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/v1/nothing-here", TestContext.Current.CancellationToken);
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task UnknownRoute_WithKey_Answers404Problem()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync("/v1/nothing-here", TestContext.Current.CancellationToken);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        problem.GetProperty("message").GetString()!.ShouldContain("/v1/nothing-here");
    }

    [Fact]
    public async Task KnownRoute_WrongMethod_Answers405Problem()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.PutAsync("/v1/agents", new StringContent("{}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        problem.GetProperty("message").GetString()!.ShouldContain("PUT");
    }

    [Theory]
    [InlineData("/v1/agents")]
    [InlineData("/v1/agents/")]
    [InlineData("/v0.1/agents")]
    [InlineData("/v0.1/agents/")]
    public async Task AgentList_UnderEitherPrefixWithOrWithoutSlash_Answers200(string path)
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        body.GetProperty("limit").GetInt32().ShouldBe(20);
        body.GetProperty("offset").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task AgentCreate_UnderV01WithTrailingSlash_Answers201()
    {
        using var client = server.CreateAdminClient();
        var agent = await client.PostJsonAsync("/v0.1/agents/", TestAgents.Research(), HttpStatusCode.Created);
        var id = agent.GetProperty("id").GetString();
        using var response = await client.GetAsync($"/v0.1/agents/{id}/", TestContext.Current.CancellationToken);
        (await response.ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("id").GetString().ShouldBe(id);
    }

    [Fact]
    public async Task OpenApiDocument_WithKey_DescribesV1RoutesOnly()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);
        var document = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/v1/agents");
        paths.ShouldContain("/v1/agents/{agentId}/revisions/diff");
        paths.ShouldContain("/v1/schemas/validate");
        paths.ShouldNotContain(path => path.StartsWith("/v0.1"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("abc")]
    public async Task List_LimitOutOfRange_Answers400(string limit)
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync($"/v1/agents?limit={limit}", TestContext.Current.CancellationToken);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        problem.ErrorPaths().ShouldBe(["limit"]);
    }

    [Fact]
    public async Task List_NegativeOffset_Answers400()
    {
        using var client = server.CreateAdminClient();
        using var response = await client.GetAsync("/v1/agents?offset=-1", TestContext.Current.CancellationToken);
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request")).ErrorPaths().ShouldBe(["offset"]);
    }
}
