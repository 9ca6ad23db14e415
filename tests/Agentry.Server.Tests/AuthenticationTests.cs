using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class AuthenticationTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_WithoutKey_Answers401()
    {
        using var client = server.CreateClient();
        using var response = await client.GetAsync("/v1/agents", Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        problem.GetProperty("message").GetString()!.ShouldContain("X-API-Key");
    }

    [Fact]
    public async Task Request_WithUnknownKey_Answers401()
    {
        using var client = server.CreateClient("agentry_not_a_key_of_this_server");
        using var response = await client.GetAsync("/v1/agents", Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        problem.GetProperty("message").GetString()!.ShouldContain("unknown");
    }

    [Fact]
    public async Task Request_WithBearerKey_IsAuthenticated()
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AgentryServerFactory.BootstrapKey);
        using var response = await client.GetAsync("/v1/agents", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AgentCreate_KeyWithoutAgentsWrite_Answers403NamingTheScope()
    {
        var readOnly = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read");
        using var client = server.CreateClient(readOnly);
        using var response = await client.PostAsJsonAsync("/v1/agents", TestAgents.Research(), Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        problem.GetProperty("message").GetString()!.ShouldContain("agents:write");
    }

    [Fact]
    public async Task AgentList_KeyWithRunsReadOnly_Answers200()
    {
        var readOnly = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read");
        using var client = server.CreateClient(readOnly);
        using var response = await client.GetAsync("/v1/agents", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AgentCreate_KeyWithAgentsWrite_Answers201()
    {
        var writer = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "agents:write");
        using var client = server.CreateClient(writer);
        await client.PostJsonAsync("/v1/agents", TestAgents.Research(), HttpStatusCode.Created);
    }

    [Fact]
    public async Task ApiKeys_KeyWithoutAdmin_Answers403()
    {
        var writer = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "agents:write", "runs:write", "runs:read");
        using var client = server.CreateClient(writer);
        using var response = await client.GetAsync("/v1/api-keys", Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Organizations_AdminKeyWithoutSystem_Answers403()
    {
        var organization = await server.CreateOrganizationAsync("Admin without system");
        using var client = server.CreateClient(organization.AdminKey);
        using var response = await client.GetAsync("/v1/organizations", Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        problem.GetProperty("message").GetString()!.ShouldContain("system");
    }

    [Fact]
    public async Task RevokedKey_NextRequest_Answers401()
    {
        using var admin = server.CreateAdminClient();
        var created = await admin.PostJsonAsync("/v1/api-keys", new { name = "short-lived", scopes = new[] { "runs:read" } }, HttpStatusCode.Created);
        using var client = server.CreateClient(created.GetProperty("key").GetString()!);
        (await client.GetAsync("/v1/agents", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var revoke = await admin.DeleteAsync($"/v1/api-keys/{created.GetProperty("id").GetString()}", Ct);
        revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);

        using var response = await client.GetAsync("/v1/agents", Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}

public sealed class RateLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_OverThePerKeyLimit_Answer429WithRetryAfter()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:RateLimit:RequestsPerSecond"] = "3" });
        using var client = server.CreateAdminClient();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 10 && limited is null; i++)
        {
            var response = await client.GetAsync("/v1/agents", Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        limited.ShouldNotBeNull($"statuses: {string.Join(", ", statuses)}");
        using (limited)
        {
            await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
            limited.Headers.RetryAfter.ShouldNotBeNull();
            limited.Headers.RetryAfter.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        }
    }

    [Fact]
    public async Task Requests_LimitIsPerKey_OtherKeyStillServed()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:RateLimit:RequestsPerSecond"] = "2" });
        var other = await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read");
        using var client = server.CreateAdminClient();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/v1/agents", Ct);
        }

        using var otherClient = server.CreateClient(other);
        using var otherResponse = await otherClient.GetAsync("/v1/agents", Ct);
        otherResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Requests_LimitZero_NeverAnswer429()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:RateLimit:RequestsPerSecond"] = "0" });
        using var client = server.CreateAdminClient();
        for (var i = 0; i < 30; i++)
        {
            using var response = await client.GetAsync("/healthz", Ct);
            using var api = await client.GetAsync("/v1/model-stacks", Ct);
            api.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
