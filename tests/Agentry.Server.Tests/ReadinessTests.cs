using System.Net;
using Agentry.Core.Organizations;
using Agentry.Core.Storage;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests;

public sealed class ReadinessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Readyz_StoreUnreachable_Answers503WhileHealthzAnswers200()
    {
        BreakableOrganizationStore? store = null;
        await using var server = AgentryServerFactory.Create();
        server.WithServices(services => services.AddSingleton<IOrganizationStore>(sp => store = new BreakableOrganizationStore(sp.GetRequiredService<SqliteStore>())));
        using var client = server.CreateClient();
        (await client.GetAsync("/readyz", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        store!.Broken = true;
        (await client.GetAsync("/readyz", Ct)).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/healthz", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readyz_ApiOnlyNode_IsReadyAndReportsTheQueueItLeavesToOtherNodes()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Role"] = "api" });
        using var admin = server.CreateAdminClient();
        var agentId = await Runs.RunApi.CreateAgentAsync(admin, Runs.RunApi.Research());
        await Runs.RunApi.StartRunAsync(admin, agentId, new { topic = "queued" });
        using var client = server.CreateClient();

        using var response = await client.GetAsync("/readyz", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var workers = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("checks").GetProperty("workers");
        workers.GetProperty("description").GetString()!.ShouldContain("API only");
        workers.GetProperty("data").GetProperty("queueDepth").GetInt64().ShouldBe(1);
    }

    /// <summary>The real store, until <see cref="Broken"/> makes every call fail as if the database were gone.</summary>
    private sealed class BreakableOrganizationStore(IOrganizationStore inner) : IOrganizationStore
    {
        public volatile bool Broken;

        public Task CreateAsync(Organization organization, ApiKey firstKey, CancellationToken cancellationToken) => Check().CreateAsync(organization, firstKey, cancellationToken);

        public Task<Organization?> GetAsync(string organizationId, CancellationToken cancellationToken) => Check().GetAsync(organizationId, cancellationToken);

        public Task<IReadOnlyList<Organization>> ListAsync(CancellationToken cancellationToken) => Check().ListAsync(cancellationToken);

        public Task AddKeyAsync(ApiKey key, CancellationToken cancellationToken) => Check().AddKeyAsync(key, cancellationToken);

        public Task<ApiKey?> FindKeyByHashAsync(string keyHash, CancellationToken cancellationToken) => Check().FindKeyByHashAsync(keyHash, cancellationToken);

        public Task<IReadOnlyList<ApiKey>> ListKeysAsync(string organizationId, CancellationToken cancellationToken) => Check().ListKeysAsync(organizationId, cancellationToken);

        public Task<bool> RevokeKeyAsync(string organizationId, string keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken) =>
            Check().RevokeKeyAsync(organizationId, keyId, revokedAt, cancellationToken);

        private IOrganizationStore Check() => Broken ? throw new IOException("database unreachable") : inner;
    }
}
