using System.Net;
using System.Net.Http.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Storage;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests;

public sealed class AgentConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentPatch_OtherChangesKeepWinning_Answers409AndChangesNothing()
    {
        var store = (AlwaysLosingAgentStore?)null;
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:SeedSamples"] = "false" });
        server.WithServices(services => services.AddSingleton<IAgentStore>(sp => store = new AlwaysLosingAgentStore(sp.GetRequiredService<SqliteStore>())));
        using var client = server.CreateAdminClient();
        var agent = await client.PostJsonAsync("/v1/agents", TestAgents.Research(), HttpStatusCode.Created);
        var id = agent.GetProperty("id").GetString();

        using var response = await client.PatchAsJsonAsync($"/v1/agents/{id}", new { goalPrompt = "Changed {{topic}}" }, Ct);
        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "conflict");
        store!.UpdateAttempts.ShouldBe(3);

        var revisions = await (await client.GetAsync($"/v1/agents/{id}/revisions", Ct)).ShouldBeJsonAsync(HttpStatusCode.OK);
        revisions.GetProperty("total").GetInt32().ShouldBe(1);
    }

    /// <summary>The real store, except that every update finds the agent changed by someone else first.</summary>
    private sealed class AlwaysLosingAgentStore(IAgentStore inner) : IAgentStore
    {
        private int _updateAttempts;

        public int UpdateAttempts => _updateAttempts;

        public Task CreateAsync(Agent agent, AgentRevision firstRevision, CancellationToken cancellationToken) => inner.CreateAsync(agent, firstRevision, cancellationToken);

        public Task<Agent?> GetAsync(string organizationId, string agentId, CancellationToken cancellationToken) => inner.GetAsync(organizationId, agentId, cancellationToken);

        public Task<Page<Agent>> ListAsync(string organizationId, PageRequest page, CancellationToken cancellationToken) => inner.ListAsync(organizationId, page, cancellationToken);

        public Task<bool> UpdateAsync(Agent agent, AgentRevision? newRevision, DateTimeOffset expectedUpdatedAt, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _updateAttempts);
            return Task.FromResult(false);
        }

        public Task<AgentRevision?> GetRevisionAsync(string organizationId, string agentId, string revisionId, CancellationToken cancellationToken) =>
            inner.GetRevisionAsync(organizationId, agentId, revisionId, cancellationToken);

        public Task<Page<AgentRevision>> ListRevisionsAsync(string organizationId, string agentId, PageRequest page, CancellationToken cancellationToken) =>
            inner.ListRevisionsAsync(organizationId, agentId, page, cancellationToken);
    }
}
