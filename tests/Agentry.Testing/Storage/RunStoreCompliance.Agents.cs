using Agentry.Core.Agents;
using Agentry.Core.Common;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    private static void ShouldBeSameConfig(AgentConfig actual, AgentConfig expected) =>
        AgentryJson.ToElement(actual).GetRawText().ShouldBe(AgentryJson.ToElement(expected).GetRawText());

    [Fact]
    public async Task CreateAgent_WithFirstRevision_RoundTripsBoth()
    {
        var (agent, revision) = Data.NewAgent(OrgId);

        await Agents.CreateAsync(agent, revision, Ct);

        (await Agents.GetAsync(OrgId, agent.Id, Ct)).ShouldBe(agent);
        var stored = (await Agents.GetRevisionAsync(OrgId, agent.Id, revision.Id, Ct)).ShouldNotBeNull();
        (stored.Id, stored.AgentId, stored.OrganizationId, stored.CreatedAt).ShouldBe((revision.Id, agent.Id, OrgId, revision.CreatedAt));
        ShouldBeSameConfig(stored.Config, revision.Config);
        stored.Config.Limits.ShouldBe(revision.Config.Limits);
    }

    [Fact]
    public async Task Agents_OfAnotherOrganization_AreInvisible()
    {
        var (agent, revision) = Data.NewAgent(OrgId);
        await Agents.CreateAsync(agent, revision, Ct);

        (await Agents.GetAsync(OtherOrgId, agent.Id, Ct)).ShouldBeNull();
        (await Agents.GetRevisionAsync(OtherOrgId, agent.Id, revision.Id, Ct)).ShouldBeNull();
        (await Agents.GetRevisionAsync(OrgId, "agt_other", revision.Id, Ct)).ShouldBeNull();
        (await Agents.ListAsync(OtherOrgId, PageRequest.Default, Ct)).Items.ShouldBeEmpty();
        (await Agents.ListRevisionsAsync(OtherOrgId, agent.Id, PageRequest.Default, Ct)).Items.ShouldBeEmpty();
        (await Agents.UpdateAsync(agent with { OrganizationId = OtherOrgId, Name = "stolen" }, null, agent.UpdatedAt, Ct)).ShouldBeFalse();
        (await Agents.GetAsync(OrgId, agent.Id, Ct)).ShouldNotBeNull().Name.ShouldBe(agent.Name);
    }

    [Fact]
    public async Task UpdateAgent_WithTheCurrentUpdatedAt_ReplacesTheRowAndAddsTheRevision()
    {
        var (agent, first) = Data.NewAgent(OrgId);
        await Agents.CreateAsync(agent, first, Ct);
        Data.Time.Advance(TimeSpan.FromSeconds(3));
        var second = Data.NewRevision(OrgId, agent.Id, "Summarise {{topic}}.");
        var changed = agent with { Name = "summariser", Description = null, LatestRevisionId = second.Id, PublishedRevisionId = first.Id, UpdatedAt = Data.Now };

        var updated = await Agents.UpdateAsync(changed, second, agent.UpdatedAt, Ct);

        updated.ShouldBeTrue();
        (await Agents.GetAsync(OrgId, agent.Id, Ct)).ShouldBe(changed);
        var revisions = await Agents.ListRevisionsAsync(OrgId, agent.Id, PageRequest.Default, Ct);
        revisions.Items.Select(r => r.Id).ShouldBe([second.Id, first.Id]);
        revisions.Total.ShouldBe(2);
        revisions.Items[0].Config.GoalPrompt.ShouldBe("Summarise {{topic}}.");
    }

    [Fact]
    public async Task UpdateAgent_WithAStaleUpdatedAt_ChangesNothing()
    {
        var (agent, first) = Data.NewAgent(OrgId);
        await Agents.CreateAsync(agent, first, Ct);
        Data.Time.Advance(TimeSpan.FromSeconds(1));
        var winner = agent with { Name = "first writer", UpdatedAt = Data.Now };
        (await Agents.UpdateAsync(winner, null, agent.UpdatedAt, Ct)).ShouldBeTrue();
        Data.Time.Advance(TimeSpan.FromSeconds(1));
        var lateRevision = Data.NewRevision(OrgId, agent.Id, "Late {{topic}}.");

        var late = await Agents.UpdateAsync(agent with { Name = "second writer", LatestRevisionId = lateRevision.Id, UpdatedAt = Data.Now }, lateRevision, agent.UpdatedAt, Ct);

        late.ShouldBeFalse();
        (await Agents.GetAsync(OrgId, agent.Id, Ct)).ShouldBe(winner);
        (await Agents.GetRevisionAsync(OrgId, agent.Id, lateRevision.Id, Ct)).ShouldBeNull();
        (await Agents.ListRevisionsAsync(OrgId, agent.Id, PageRequest.Default, Ct)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task ListAgents_SomeDeleted_ListsTheOthersNewestFirstWhileDeletedStayReadable()
    {
        var created = new List<Agent>();
        for (var i = 0; i < 4; i++)
        {
            var (agent, revision) = Data.NewAgent(OrgId, $"agent-{i}");
            await Agents.CreateAsync(agent, revision, Ct);
            created.Add(agent);
            Data.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var deleted = created[2] with { DeletedAt = Data.Now, IsActive = false, UpdatedAt = Data.Now };
        (await Agents.UpdateAsync(deleted, null, created[2].UpdatedAt, Ct)).ShouldBeTrue();

        var all = await Agents.ListAsync(OrgId, PageRequest.Default, Ct);
        var page = await Agents.ListAsync(OrgId, new PageRequest(1, 1), Ct);

        all.Items.Select(a => a.Id).ShouldBe([created[3].Id, created[1].Id, created[0].Id]);
        (all.Total, all.Limit, all.Offset).ShouldBe((3L, 20, 0));
        page.Items.Select(a => a.Id).ShouldBe([created[1].Id]);
        (page.Total, page.Limit, page.Offset).ShouldBe((3L, 1, 1));
        (await Agents.GetAsync(OrgId, deleted.Id, Ct)).ShouldBe(deleted);
    }

    [Fact]
    public async Task ListRevisions_ManyRevisions_PagesNewestFirst()
    {
        var (agent, first) = Data.NewAgent(OrgId);
        await Agents.CreateAsync(agent, first, Ct);
        var ids = new List<string> { first.Id };
        var current = agent;
        for (var i = 0; i < 3; i++)
        {
            Data.Time.Advance(TimeSpan.FromSeconds(1));
            var revision = Data.NewRevision(OrgId, agent.Id, $"Version {i} of {{{{topic}}}}.");
            var next = current with { LatestRevisionId = revision.Id, UpdatedAt = Data.Now };
            (await Agents.UpdateAsync(next, revision, current.UpdatedAt, Ct)).ShouldBeTrue();
            current = next;
            ids.Add(revision.Id);
        }

        var page = await Agents.ListRevisionsAsync(OrgId, agent.Id, new PageRequest(2, 1), Ct);

        page.Items.Select(r => r.Id).ShouldBe([ids[2], ids[1]]);
        (page.Total, page.Limit, page.Offset).ShouldBe((4L, 2, 1));
    }
}
