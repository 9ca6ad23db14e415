using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    /// <summary>Creates <paramref name="count"/> runs a second apart and answers them oldest first.</summary>
    private async Task<List<Run>> CreateRunsAsync(int count, string agentId = "agt_default")
    {
        var runs = new List<Run>();
        for (var i = 0; i < count; i++)
        {
            runs.Add(await CreateRunAsync(OrgId, agentId));
            Data.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return runs;
    }

    [Fact]
    public async Task ListRuns_CursorPaging_WalksNewestFirstWithTotalAndNextBeforeId()
    {
        var runs = await CreateRunsAsync(5);
        await CreateRunAsync(OtherOrgId);
        var newestFirst = runs.Select(r => r.Id).Reverse().ToList();

        var first = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2 }, Ct);
        var second = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2, BeforeId = first.NextBeforeId }, Ct);
        var third = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2, BeforeId = second.NextBeforeId }, Ct);

        first.Items.Select(r => r.Id).ShouldBe(newestFirst[..2]);
        first.NextBeforeId.ShouldBe(newestFirst[1]);
        second.Items.Select(r => r.Id).ShouldBe(newestFirst[2..4]);
        second.NextBeforeId.ShouldBe(newestFirst[3]);
        third.Items.Select(r => r.Id).ShouldBe(newestFirst[4..]);
        third.NextBeforeId.ShouldBeNull();
        new[] { first.Total, second.Total, third.Total }.ShouldAllBe(total => total == 5);
    }

    [Fact]
    public async Task ListRuns_CursorPaging_IsStableWhileNewRunsArrive()
    {
        var runs = await CreateRunsAsync(4);
        var first = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2 }, Ct);
        await CreateRunsAsync(3);

        var second = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2, BeforeId = first.NextBeforeId }, Ct);

        second.Items.Select(r => r.Id).ShouldBe([runs[1].Id, runs[0].Id]);
        second.NextBeforeId.ShouldBeNull();
        second.Total.ShouldBe(7);
    }

    [Fact]
    public async Task ListRuns_ExactlyOnePageOfRuns_HasNoNextBeforeId()
    {
        await CreateRunsAsync(3);

        var page = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 3 }, Ct);

        page.Items.Count.ShouldBe(3);
        page.NextBeforeId.ShouldBeNull();
    }

    [Fact]
    public async Task ListRuns_OffsetPaging_SkipsNewestFirstAndKeepsTheTotal()
    {
        var runs = await CreateRunsAsync(5);
        var newestFirst = runs.Select(r => r.Id).Reverse().ToList();

        var middle = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2, Offset = 2 }, Ct);
        var beyond = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, Limit = 2, Offset = 10 }, Ct);

        middle.Items.Select(r => r.Id).ShouldBe(newestFirst[2..4]);
        middle.Total.ShouldBe(5);
        middle.NextBeforeId.ShouldBe(newestFirst[3]);
        beyond.Items.ShouldBeEmpty();
        beyond.Total.ShouldBe(5);
        beyond.NextBeforeId.ShouldBeNull();
    }

    [Fact]
    public async Task ListRuns_FilteredByStatusAgentRevisionOrErrorCode_ListsOnlyMatchingRuns()
    {
        var doneB = await CreateRunAsync(OrgId, "agt_b", "rev_b1");
        var failedA = await CreateRunAsync(OrgId, "agt_a", "rev_a2");
        var timedOutB = await CreateRunAsync(OrgId, "agt_b", "rev_b1");
        var claimed = await Runs.ClaimAsync("worker-1", 3, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct);
        claimed.Select(r => r.Id).ShouldBe([doneB.Id, failedA.Id, timedOutB.Id]);
        await ApplyAsync(Data.States.Complete(doneB.Id, "worker-1", 3, StoreTestData.Json("{}"), [], RunUsage.Zero, null));
        await ApplyAsync(Data.States.Fail(failedA.Id, "worker-1", 3, new RunError(RunErrorCodes.ToolError, "Tool failed.", null), RunUsage.Zero, null));
        await ApplyAsync(Data.States.Fail(timedOutB.Id, "worker-1", 3, new RunError(RunErrorCodes.Timeout, "Too slow.", null), RunUsage.Zero, null));
        var pendingA = await CreateRunAsync(OrgId, "agt_a", "rev_a1");
        await CreateRunAsync(OtherOrgId, "agt_a", "rev_a1");

        async Task<string[]> Ids(RunQuery query)
        {
            var page = await Runs.ListAsync(query, Ct);
            page.Total.ShouldBe(page.Items.Count);
            return [.. page.Items.Select(r => r.Id)];
        }

        (await Ids(new RunQuery { OrganizationId = OrgId, Status = RunStatus.Pending })).ShouldBe([pendingA.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, Status = RunStatus.Done })).ShouldBe([doneB.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, Status = RunStatus.Error })).ShouldBe([timedOutB.Id, failedA.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, AgentId = "agt_a" })).ShouldBe([pendingA.Id, failedA.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, RevisionId = "rev_b1" })).ShouldBe([timedOutB.Id, doneB.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, ErrorCode = RunErrorCodes.Timeout })).ShouldBe([timedOutB.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, AgentId = "agt_b", Status = RunStatus.Error })).ShouldBe([timedOutB.Id]);
        (await Ids(new RunQuery { OrganizationId = OrgId, AgentId = "agt_missing" })).ShouldBeEmpty();
    }

    [Fact]
    public async Task ListRuns_CreatedRange_IncludesCreatedAfterAndExcludesCreatedBefore()
    {
        var runs = await CreateRunsAsync(4);

        var page = await Runs.ListAsync(
            new RunQuery { OrganizationId = OrgId, CreatedAfter = runs[1].CreatedAt, CreatedBefore = runs[3].CreatedAt }, Ct);
        var after = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId, CreatedAfter = runs[2].CreatedAt.AddMilliseconds(1) }, Ct);

        page.Items.Select(r => r.Id).ShouldBe([runs[2].Id, runs[1].Id]);
        page.Total.ShouldBe(2);
        after.Items.Select(r => r.Id).ShouldBe([runs[3].Id]);
    }
}
