using System.Net;
using System.Net.Http.Json;
using Agentry.Server.Tests.Infrastructure;

namespace Agentry.Server.Tests;

public sealed class ApiKeyTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApiKeyCreate_ValidScopes_Answers201WithSecretOnlyHere()
    {
        using var admin = server.CreateAdminClient();
        var created = await admin.PostJsonAsync("/v1/api-keys", new { name = "ci", scopes = new[] { "runs:read", "runs:write" } }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        id.ShouldStartWith("key_");
        created.GetProperty("name").GetString().ShouldBe("ci");
        created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()).ShouldBe(["runs:read", "runs:write"]);
        created.GetProperty("key").GetString()!.ShouldMatch("^agentry_[0-9A-Za-z]{32}$");
        created.TryGetProperty("createdAt", out _).ShouldBeTrue();

        var list = await (await admin.GetAsync("/v1/api-keys", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var listed = list.GetProperty("items").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        listed.TryGetProperty("key", out _).ShouldBeFalse();
        listed.TryGetProperty("keyHash", out _).ShouldBeFalse();
        list.GetRawText().ShouldNotContain(created.GetProperty("key").GetString()!);
    }

    [Fact]
    public async Task ApiKeyCreate_UnknownScopeAndNoName_Answers400WithEveryProblem()
    {
        using var admin = server.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/v1/api-keys", new { scopes = new[] { "runs:read", "everything" } }, Ct);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        problem.ErrorPaths().ShouldBe(["/name", "/scopes/1"]);
    }

    [Fact]
    public async Task ApiKeyCreate_NoScopes_Answers400()
    {
        using var admin = server.CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/v1/api-keys", new { name = "empty", scopes = Array.Empty<string>() }, Ct);
        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request")).ErrorPaths().ShouldBe(["/scopes"]);
    }

    [Fact]
    public async Task ApiKeyCreate_SystemScopeByKeyWithoutSystem_Answers403()
    {
        var organization = await server.CreateOrganizationAsync("Escalation");
        using var client = server.CreateClient(organization.AdminKey);
        using var response = await client.PostAsJsonAsync("/v1/api-keys", new { name = "root", scopes = new[] { "system" } }, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ApiKeyRevoke_UnknownId_Answers404()
    {
        using var admin = server.CreateAdminClient();
        using var response = await admin.DeleteAsync("/v1/api-keys/key_00000000000000000000000000", Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ApiKeyRevoke_Twice_SecondAnswers404AndListOmitsIt()
    {
        using var admin = server.CreateAdminClient();
        var created = await admin.PostJsonAsync("/v1/api-keys", new { name = "once", scopes = new[] { "runs:read" } }, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        (await admin.DeleteAsync($"/v1/api-keys/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        using var again = await admin.DeleteAsync($"/v1/api-keys/{id}", Ct);
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");

        var list = await (await admin.GetAsync("/v1/api-keys", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        list.GetProperty("items").EnumerateArray().Select(k => k.GetProperty("id").GetString()).ShouldNotContain(id);
    }
}
