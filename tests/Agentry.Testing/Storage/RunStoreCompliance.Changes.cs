using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

/// <summary>The change order of runs (<see cref="Run.ChangeSeq"/>) and the feed read from it (<see cref="IRunStore.ReadChangesAsync"/>).</summary>
public abstract partial class RunStoreCompliance
{
    [Fact]
    public async Task ChangeSeq_CreateClaimUsageCancelRequestAndEnd_EachStampAHigherValue()
    {
        var created = await CreateRunAsync();
        var claimed = (await Runs.ClaimAsync("worker-1", 1, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct)).ShouldHaveSingleItem();
        var usage = (await ApplyAsync(new UsageWrite(created.Id, "worker-1", StoreTestData.Usage(1), "offline-1", Data.Now))).Run.ShouldNotBeNull();
        (await Runs.RequestCancelAsync(OrgId, created.Id, Data.Now, Ct)).ShouldBeTrue();
        var cancelRequested = await GetRunAsync(created.Id);
        var ended = (await ApplyAsync(Data.States.Complete(created.Id, "worker-1", 3, StoreTestData.Json("{}"), [], StoreTestData.Usage(1), null))).Run.ShouldNotBeNull();

        long[] stamps = [created.ChangeSeq, claimed.ChangeSeq, usage.ChangeSeq, cancelRequested.ChangeSeq, ended.ChangeSeq];
        stamps[0].ShouldBeGreaterThan(0);
        for (var i = 1; i < stamps.Length; i++)
        {
            stamps[i].ShouldBeGreaterThan(stamps[i - 1], $"change {i} of [{string.Join(", ", stamps)}]");
        }

        (await GetRunAsync(created.Id)).ChangeSeq.ShouldBe(ended.ChangeSeq);
    }

    [Fact]
    public async Task ChangeSeq_EventAppendsAndUpdates_LeaveItAsItIs()
    {
        var running = await CreateRunningRunAsync();

        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3, finished: false)));
        await ApplyAsync(new UpdateEventWrite(running.Id, "worker-1", 3, StoreTestData.Json("""{"text":"done"}"""), Data.Now));

        (await GetRunAsync(running.Id)).ChangeSeq.ShouldBe(running.ChangeSeq);
    }

    [Fact]
    public async Task ChangeSeq_SeveralChangesOfOneRunInOneBatch_EndsAboveEveryEarlierChange()
    {
        var running = await CreateRunningRunAsync();
        var results = await Runs.ApplyAsync(
        [
            new UsageWrite(running.Id, "worker-1", StoreTestData.Usage(1), null, Data.Now),
            Data.States.Complete(running.Id, "worker-1", 3, StoreTestData.Json("{}"), [], StoreTestData.Usage(1), null),
        ], Ct);

        var usage = results[0].Run.ShouldNotBeNull();
        var ended = results[1].Run.ShouldNotBeNull();
        ended.ChangeSeq.ShouldBeGreaterThan(usage.ChangeSeq);
        usage.ChangeSeq.ShouldBeGreaterThan(running.ChangeSeq);
        (await GetRunAsync(running.Id)).ChangeSeq.ShouldBe(ended.ChangeSeq);
    }

    [Fact]
    public async Task ReadChanges_RunChangedAgain_AppearsOnceAtItsLatestChangeInCurrentState()
    {
        var first = await CreateRunAsync();
        var second = await CreateRunAsync();
        var third = await CreateRunAsync();
        var claimed = await Runs.ClaimAsync("worker-1", 1, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct);
        claimed.ShouldHaveSingleItem().Id.ShouldBe(first.Id);

        var changes = await Runs.ReadChangesAsync(OrgId, null, 0, 100, Ct);

        changes.Select(r => r.Id).ShouldBe([second.Id, third.Id, first.Id]);
        changes[^1].Status.ShouldBe(RunStatus.Running);
        changes[^1].ChangeSeq.ShouldBe(claimed[0].ChangeSeq);
        changes.Select(r => r.ChangeSeq).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task ReadChanges_ResumedAtEveryCursor_AnswersExactlyTheRunsChangedLaterInChangeOrder()
    {
        var (runs, cursors) = await BuildChangeHistoryAsync();
        var current = new List<Run>();
        foreach (var id in runs)
        {
            current.Add(await GetRunAsync(id));
        }

        foreach (var after in cursors)
        {
            var changes = await Runs.ReadChangesAsync(OrgId, null, after, 100, Ct);

            var expected = current.Where(r => r.ChangeSeq > after).OrderBy(r => r.ChangeSeq).Select(r => (r.Id, r.Status, r.ChangeSeq)).ToList();
            changes.Select(r => (r.Id, r.Status, r.ChangeSeq)).ShouldBe(expected, $"resuming after change {after}");
        }
    }

    [Fact]
    public async Task ReadChanges_PagedOneAtATime_ReassemblesEveryRunOnceWithoutGap()
    {
        var (runs, _) = await BuildChangeHistoryAsync();

        var seen = new List<Run>();
        var after = 0L;
        while (await Runs.ReadChangesAsync(OrgId, null, after, 1, Ct) is [var next])
        {
            seen.Add(next);
            after = next.ChangeSeq;
        }

        seen.Select(r => r.Id).Order(StringComparer.Ordinal).ShouldBe(runs.Order(StringComparer.Ordinal));
        seen.Select(r => r.ChangeSeq).ShouldBeInOrder(SortDirection.Ascending);
        seen.Select(r => r.ChangeSeq).Distinct().Count().ShouldBe(seen.Count);
    }

    [Fact]
    public async Task ReadChanges_AnotherOrganizationsRuns_AreNeverAnswered()
    {
        var ours = await CreateRunAsync(OrgId);
        var theirs = await CreateRunAsync(OtherOrgId);
        await CreateRunAsync(OtherOrgId);

        (await Runs.ReadChangesAsync(OrgId, null, 0, 100, Ct)).Select(r => r.Id).ShouldBe([ours.Id]);
        (await Runs.ReadChangesAsync(OtherOrgId, null, 0, 100, Ct))[0].Id.ShouldBe(theirs.Id);
        (await Runs.ReadChangesAsync(OrgId, ours.AgentId, 0, 100, Ct)).Select(r => r.Id).ShouldBe([ours.Id]);
        (await Runs.ReadChangesAsync("org_missing", null, 0, 100, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadChanges_FilteredByAgent_AnswersOnlyThatAgentsRuns()
    {
        var a1 = await CreateRunAsync(OrgId, "agt_a");
        await CreateRunAsync(OrgId, "agt_b");
        var a2 = await CreateRunAsync(OrgId, "agt_a");
        await CreateRunAsync(OtherOrgId, "agt_a");

        (await Runs.ReadChangesAsync(OrgId, "agt_a", 0, 100, Ct)).Select(r => r.Id).ShouldBe([a1.Id, a2.Id]);
        (await Runs.ReadChangesAsync(OrgId, "agt_a", a1.ChangeSeq, 100, Ct)).Select(r => r.Id).ShouldBe([a2.Id]);
        (await Runs.ReadChangesAsync(OrgId, "agt_missing", 0, 100, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetLastChange_AsACursor_AnswersOnlyLaterChanges()
    {
        (await Runs.GetLastChangeAsync(OrgId, Ct)).ShouldBe(0);
        var before = await CreateRunAsync();
        await CreateRunAsync(OtherOrgId);
        var now = await Runs.GetLastChangeAsync(OrgId, Ct);
        now.ShouldBe(before.ChangeSeq);

        (await Runs.ReadChangesAsync(OrgId, null, now, 100, Ct)).ShouldBeEmpty();
        var later = await CreateRunAsync();
        (await Runs.ReadChangesAsync(OrgId, null, now, 100, Ct)).Select(r => r.Id).ShouldBe([later.Id]);
    }

    /// <summary>
    /// Five runs of <see cref="OrgId"/> (one of another organization between them) through interleaved creates, claims,
    /// usage, cancel requests and ends. Answers the runs and every cursor a feed could hold: 0 and each change seen.
    /// </summary>
    private async Task<(List<string> Runs, List<long> Cursors)> BuildChangeHistoryAsync()
    {
        var cursors = new List<long> { 0 };
        var runs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var created = await CreateRunAsync();
            runs.Add(created.Id);
            cursors.Add(created.ChangeSeq);
        }

        await CreateRunAsync(OtherOrgId);
        foreach (var claimed in await Runs.ClaimAsync("worker-1", 2, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct))
        {
            cursors.Add(claimed.ChangeSeq);
        }

        var usage = await ApplyAsync(new UsageWrite(runs[1], "worker-1", StoreTestData.Usage(1), null, Data.Now));
        cursors.Add(usage.Run.ShouldNotBeNull().ChangeSeq);
        var fourth = await CreateRunAsync();
        runs.Add(fourth.Id);
        cursors.Add(fourth.ChangeSeq);
        (await Runs.RequestCancelAsync(OrgId, runs[0], Data.Now, Ct)).ShouldBeTrue();
        cursors.Add((await GetRunAsync(runs[0])).ChangeSeq);
        var ended = await ApplyAsync(Data.States.Complete(runs[1], "worker-1", 3, StoreTestData.Json("{}"), [], StoreTestData.Usage(1), null));
        cursors.Add(ended.Run.ShouldNotBeNull().ChangeSeq);
        var fifth = await CreateRunAsync();
        runs.Add(fifth.Id);
        cursors.Add(fifth.ChangeSeq);
        return (runs, cursors);
    }
}
