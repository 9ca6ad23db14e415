using System.Net;
using Agentry.Client.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Client.Tests;

public sealed class AdministrationTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AgentryClient _client = fixture.Server.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateOrganization_SystemKey_AnswersAnAdminKeyThatSeesOnlyItsOrganization()
    {
        var created = await _client.CreateOrganizationAsync("Tenant", Ct);

        created.Name.ShouldBe("Tenant");
        created.ApiKey.ShouldNotBeNullOrWhiteSpace();
        (await _client.ListOrganizationsAsync(limit: 100, cancellationToken: Ct)).Items.ShouldContain(o => o.Id == created.Id);
        using var tenant = fixture.Server.CreateClient(created.ApiKey);
        (await tenant.ListAgentsAsync(cancellationToken: Ct)).Total.ShouldBe(0);
        var error = await Should.ThrowAsync<AgentryApiException>(() => tenant.ListOrganizationsAsync(cancellationToken: Ct));
        error.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        error.ErrorCode.ShouldBe("forbidden");
    }

    [Fact]
    public async Task ApiKeys_CreateListRevoke_RevokedKeyThrowsUnauthorized()
    {
        var key = await _client.CreateApiKeyAsync("reader", ["runs:read"], Ct);

        key.Key.ShouldNotBeNullOrWhiteSpace();
        key.Scopes.ShouldBe(["runs:read"]);
        (await _client.ListApiKeysAsync(limit: 100, cancellationToken: Ct)).Items.ShouldContain(k => k.Id == key.Id && k.Name == "reader");
        using var reader = fixture.Server.CreateClient(key.Key);
        await reader.ListRunsAsync(cancellationToken: Ct);

        await _client.RevokeApiKeyAsync(key.Id, Ct);

        var error = await Should.ThrowAsync<AgentryApiException>(() => reader.ListRunsAsync(cancellationToken: Ct));
        error.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        error.ErrorCode.ShouldBe("unauthorized");
    }

    [Fact]
    public async Task AddAgentryClient_TypedHttpClient_TalksToTheServer()
    {
        var services = new ServiceCollection();
        services.AddAgentryClient(o =>
        {
            o.BaseAddress = fixture.Server.Address;
            o.ApiKey = AgentryServerProcess.BootstrapKey;
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<AgentryClient>();

        client.BaseAddress.ShouldBe(new Uri(fixture.Server.Address, "/"));
        (await client.ListModelStacksAsync(cancellationToken: Ct)).Items.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task GetReadiness_RunningServer_IsReadyWithItsChecks()
    {
        using var anonymous = fixture.Server.CreateClient(apiKey: "");

        var readiness = await anonymous.GetReadinessAsync(Ct);

        readiness.Ready.ShouldBeTrue();
        readiness.Status.ShouldBe("Healthy");
        readiness.Checks.ShouldNotBeEmpty();
        readiness.Checks.Values.ShouldAllBe(c => c.Status == "Healthy");
    }

    [Fact]
    public async Task GetReadiness_NodeNotReady_AnswersNotReadyWithoutRetrying()
    {
        await using var server = new ScriptedHttpServer(new ScriptedAnswer(503, """{"status":"Unhealthy","checks":{"store":{"status":"Unhealthy","description":"database is locked","data":{}}}}""", "application/json"));
        using var client = new AgentryClient(new HttpClient(), new AgentryClientOptions { BaseAddress = server.Address });

        var readiness = await client.GetReadinessAsync(Ct);

        readiness.Ready.ShouldBeFalse();
        readiness.Checks["store"].Description.ShouldBe("database is locked");
        server.Received.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AnyCall_ServerUnreachable_ThrowsHttpRequestException()
    {
        using var client = new AgentryClient(new Uri("http://127.0.0.1:1"), "key");

        await Should.ThrowAsync<HttpRequestException>(() => client.ListAgentsAsync(cancellationToken: Ct));
    }

    [Fact]
    public void Options_RelativeBaseAddress_AreRefusedNamingTheSetting()
    {
        var error = Should.Throw<ArgumentException>(() => new AgentryClient(new HttpClient(), new AgentryClientOptions { BaseAddress = new Uri("/x", UriKind.Relative) }));

        error.Message.ShouldContain("BaseAddress");
    }
}
