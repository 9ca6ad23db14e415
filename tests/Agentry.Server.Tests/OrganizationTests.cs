using System.Net;
using System.Net.Http.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class OrganizationTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OrganizationCreate_SystemKey_Answers201WithWorkingAdminKey()
    {
        using var admin = server.CreateAdminClient();
        var created = await admin.PostJsonAsync("/v1/organizations", new { name = "Acme" }, HttpStatusCode.Created);
        created.GetProperty("id").GetString()!.ShouldStartWith("org_");
        created.GetProperty("name").GetString().ShouldBe("Acme");
        var key = created.GetProperty("apiKey").GetString()!;
        key.ShouldStartWith("agentry_");

        using var client = server.CreateClient(key);
        var keys = await (await client.GetAsync("/v1/api-keys", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        keys.GetProperty("items").EnumerateArray().Single().GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["admin"]);
    }

    [Fact]
    public async Task OrganizationList_SystemKey_ListsDefaultAndCreated()
    {
        var created = await server.CreateOrganizationAsync("Listed");
        using var admin = server.CreateAdminClient();
        var list = await (await admin.GetAsync("/v1/organizations", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var names = list.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("name").GetString()).ToList();
        names.ShouldContain("Default");
        names.ShouldContain(created.Name);
        list.GetProperty("total").GetInt32().ShouldBe(names.Count);
    }

    [Fact]
    public async Task OrganizationCreate_WithoutName_Answers400NamingName()
    {
        using var admin = server.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/v1/organizations", new { }, Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request")).ErrorPaths().ShouldBe(["/name"]);
    }
}

public sealed class OrganizationIsolationTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentOfAnotherOrganization_EveryRoute_Answers404LikeAbsent()
    {
        using var owner = server.CreateAdminClient();
        var agent = await owner.PostJsonAsync("/v1/agents", TestAgents.Research("Private"), HttpStatusCode.Created);
        var id = agent.GetProperty("id").GetString();
        var revision = agent.GetProperty("latestRevisionId").GetString();

        var other = await server.CreateOrganizationAsync("Other");
        using var stranger = server.CreateClient(other.AdminKey);
        string[] gets = [$"/v1/agents/{id}", $"/v1/agents/{id}/revisions", $"/v1/agents/{id}/revisions/{revision}", $"/v1/agents/{id}/revisions/diff?from={revision}&to={revision}"];
        foreach (var path in gets)
        {
            using var response = await stranger.GetAsync(path, Ct);
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using (var patch = await stranger.PatchAsJsonAsync($"/v1/agents/{id}", new { name = "Stolen" }, Ct))
        {
            await patch.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using (var publish = await stranger.PostAsync($"/v1/agents/{id}/publish", null, Ct))
        {
            await publish.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using (var delete = await stranger.DeleteAsync($"/v1/agents/{id}", Ct))
        {
            await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        using var absent = await stranger.GetAsync("/v1/agents/agt_00000000000000000000000000", Ct);
        var absentProblem = await absent.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        absentProblem.GetProperty("title").GetString().ShouldBe("Not found");

        (await (await owner.GetAsync($"/v1/agents/{id}", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("name").GetString().ShouldBe("Private");
    }

    [Fact]
    public async Task AgentList_OtherOrganization_SeesOnlyItsOwn()
    {
        using var owner = server.CreateAdminClient();
        await owner.PostJsonAsync("/v1/agents", TestAgents.Research("Owner's"), HttpStatusCode.Created);

        var other = await server.CreateOrganizationAsync("Lister");
        using var stranger = server.CreateClient(other.AdminKey);
        await stranger.PostJsonAsync("/v1/agents", TestAgents.Research("Stranger's"), HttpStatusCode.Created);
        var list = await (await stranger.GetAsync("/v1/agents", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()).ShouldBe(["Stranger's"]);
        list.GetProperty("total").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task ApiKeyOfAnotherOrganization_Revoke_Answers404AndKeyKeepsWorking()
    {
        using var owner = server.CreateAdminClient();
        var created = await owner.PostJsonAsync("/v1/api-keys", new { name = "owner's", scopes = new[] { "runs:read" } }, HttpStatusCode.Created);

        var other = await server.CreateOrganizationAsync("Revoker");
        using var stranger = server.CreateClient(other.AdminKey);
        using var revoke = await stranger.DeleteAsync($"/v1/api-keys/{created.GetProperty("id").GetString()}", Ct);
        await revoke.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");

        using var client = server.CreateClient(created.GetProperty("key").GetString()!);
        (await client.GetAsync("/v1/agents", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
