using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    [Fact]
    public async Task CreateRun_NewRun_StoresEveryFieldWithFirstStatusEvent()
    {
        var run = Data.NewRun(OrgId, "agt_1", "rev_1") with { StatusMessage = "Queued.", Model = null, IdempotencyKey = "key-1" };

        var result = await ApplyAsync(RunStateMachine.Create(run, idempotency: null));

        result.Outcome.ShouldBe(RunWriteOutcome.Applied);
        var stored = await Runs.GetAsync(OrgId, run.Id, Ct);
        foreach (var candidate in new[] { result.Run.ShouldNotBeNull(), stored.ShouldNotBeNull() })
        {
            candidate.Id.ShouldBe(run.Id);
            candidate.OrganizationId.ShouldBe(OrgId);
            candidate.AgentId.ShouldBe("agt_1");
            candidate.RevisionId.ShouldBe("rev_1");
            candidate.Status.ShouldBe(RunStatus.Pending);
            candidate.StatusMessage.ShouldBe("Queued.");
            ShouldBeSameJson(candidate.Input, run.Input);
            ShouldBeSameJson(candidate.Metadata, run.Metadata!.Value);
            candidate.ResultType.ShouldBe(run.ResultType);
            candidate.ResultData.ShouldBeNull();
            candidate.Error.ShouldBeNull();
            candidate.Sources.ShouldBeEmpty();
            candidate.Usage.ShouldBe(RunUsage.Zero);
            candidate.Attempt.ShouldBe(0);
            candidate.IdempotencyKey.ShouldBe("key-1");
            candidate.CreatedAt.ShouldBe(StoreTestData.Start);
            candidate.UpdatedAt.ShouldBe(StoreTestData.Start);
            candidate.StartedAt.ShouldBeNull();
            candidate.CompletedAt.ShouldBeNull();
            candidate.LeaseOwner.ShouldBeNull();
            candidate.LeaseExpiresAt.ShouldBeNull();
            candidate.CancelRequested.ShouldBeFalse();
            candidate.LastSeq.ShouldBe(1);
            candidate.LastPosition.ShouldBe(1);
        }

        var first = result.Events.ShouldHaveSingleItem();
        (first.RunId, first.Seq, first.Position, first.Type).ShouldBe((run.Id, 1, 1L, RunEventTypes.Status));
        var stored1 = (await AllEventsAsync(run.Id)).ShouldHaveSingleItem();
        (stored1.Seq, stored1.Position, stored1.Type, stored1.StartedAt).ShouldBe((1, 1L, RunEventTypes.Status, StoreTestData.Start));
        ShouldBeJson(stored1.Data, """{"status":"pending","previous":null}""");
    }

    [Fact]
    public async Task CompleteRun_WithResultSourcesUsageAndModel_RoundTripsExactly()
    {
        var running = await CreateRunningRunAsync();
        Data.Time.Advance(TimeSpan.FromMilliseconds(1500));
        var usage = new RunUsage(12_345, 678, 13_023, 0.0123456789m, 3, 4);
        RunSource[] sources = [new("https://example.com/a", "A", "snippet a"), new("https://example.com/b", null)];

        var result = await ApplyAsync(Data.States.Complete(
            running.Id, "worker-1", running.LastSeq + 1, StoreTestData.Json("""{"answer":42,"nested":{"list":[1,"two",null]}}"""), sources, usage, "offline-1"));

        result.Outcome.ShouldBe(RunWriteOutcome.Applied);
        var done = await GetRunAsync(running.Id);
        done.Status.ShouldBe(RunStatus.Done);
        ShouldBeJson(done.ResultData, """{"answer":42,"nested":{"list":[1,"two",null]}}""");
        done.Sources.ShouldBe(sources);
        done.Usage.ShouldBe(usage);
        done.Usage.CostUsd.ShouldBe(0.0123456789m);
        done.Model.ShouldBe("offline-1");
        done.Attempt.ShouldBe(1);
        done.StartedAt.ShouldBe(StoreTestData.Start);
        done.CompletedAt.ShouldBe(StoreTestData.Start.AddMilliseconds(1500));
        done.UpdatedAt.ShouldBe(StoreTestData.Start.AddMilliseconds(1500));
        done.LeaseOwner.ShouldBeNull();
        done.LeaseExpiresAt.ShouldBeNull();
        done.Error.ShouldBeNull();
        result.Run.ShouldNotBeNull().Status.ShouldBe(RunStatus.Done);
        result.Run.LastSeq.ShouldBe(3);
        result.Run.LastPosition.ShouldBe(3);
    }

    [Fact]
    public async Task FailRun_WithError_StoresCodeMessageAndEventSeq()
    {
        var running = await CreateRunningRunAsync();
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3, RunEventTypes.ToolCall)));

        var result = await ApplyAsync(Data.States.Fail(
            running.Id, "worker-1", 4, new RunError(RunErrorCodes.ToolError, "searchWeb failed.", 3), StoreTestData.Usage(1), "offline-1"));

        result.Outcome.ShouldBe(RunWriteOutcome.Applied);
        var failed = await GetRunAsync(running.Id);
        failed.Status.ShouldBe(RunStatus.Error);
        failed.Error.ShouldBe(new RunError(RunErrorCodes.ToolError, "searchWeb failed.", 3));
        failed.StatusMessage.ShouldBe("searchWeb failed.");
        failed.Usage.ShouldBe(StoreTestData.Usage(1));
        failed.LastSeq.ShouldBe(4);
    }

    [Fact]
    public async Task GetRun_FromAnotherOrganization_ReturnsNull()
    {
        var run = await CreateRunAsync(OrgId);

        (await Runs.GetAsync(OtherOrgId, run.Id, Ct)).ShouldBeNull();
        (await Runs.GetAsync(OrgId, run.Id, Ct)).ShouldNotBeNull();
        (await Runs.GetForEngineAsync(run.Id, Ct)).ShouldNotBeNull().OrganizationId.ShouldBe(OrgId);
        (await Runs.GetAsync(OrgId, "run_missing", Ct)).ShouldBeNull();
        (await Runs.GetForEngineAsync("run_missing", Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task ListRuns_OfAnotherOrganization_AreNotListed()
    {
        var mine = await CreateRunAsync(OrgId);
        var theirs = await CreateRunAsync(OtherOrgId);

        var page = await Runs.ListAsync(new RunQuery { OrganizationId = OrgId }, Ct);
        var other = await Runs.ListAsync(new RunQuery { OrganizationId = OtherOrgId }, Ct);
        var nobody = await Runs.ListAsync(new RunQuery { OrganizationId = "org_nobody" }, Ct);

        page.Items.Select(r => r.Id).ShouldBe([mine.Id]);
        page.Total.ShouldBe(1);
        other.Items.Select(r => r.Id).ShouldBe([theirs.Id]);
        nobody.Items.ShouldBeEmpty();
        nobody.Total.ShouldBe(0);
        nobody.NextBeforeId.ShouldBeNull();
    }

    [Fact]
    public async Task CountPending_MixedStatuses_CountsOnlyPendingRunsOfAllOrganizations()
    {
        await CreateRunningRunAsync();
        await CreateRunAsync(OrgId);
        await CreateRunAsync(OtherOrgId);

        (await Runs.CountPendingAsync(Ct)).ShouldBe(2);
    }

    [Fact]
    public async Task ApplyBatch_EmptyBatch_ReturnsNoResults()
    {
        (await Runs.ApplyAsync([], Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ApplyBatch_DuplicateSeqFromBuggyWriter_ThrowsAndAppliesNothing()
    {
        var running = await CreateRunningRunAsync();
        var newRun = Data.NewRun(OrgId);
        RunWrite[] batch =
        [
            RunStateMachine.Create(newRun, idempotency: null),
            new AppendEventWrite(running.Id, "worker-1", Data.Step(3)),
            new UsageWrite(running.Id, "worker-1", StoreTestData.Usage(1), "offline-1", Data.Now),
            new AppendEventWrite(running.Id, "worker-1", Data.Step(3)),
        ];

        await Assert.ThrowsAnyAsync<Exception>(() => Runs.ApplyAsync(batch, Ct));

        (await Runs.GetForEngineAsync(newRun.Id, Ct)).ShouldBeNull();
        (await AllEventsAsync(newRun.Id)).ShouldBeEmpty();
        var after = await GetRunAsync(running.Id);
        (after.LastSeq, after.LastPosition, after.Usage).ShouldBe((2, 2L, RunUsage.Zero));
        (await AllEventsAsync(running.Id)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task ApplyBatch_AfterAFailedBatch_KeepsApplyingLaterBatches()
    {
        var running = await CreateRunningRunAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => Runs.ApplyAsync(
            [new AppendEventWrite(running.Id, "worker-1", Data.Step(3)), new AppendEventWrite(running.Id, "worker-1", Data.Step(3))], Ct));

        var results = await Runs.ApplyAsync([new AppendEventWrite(running.Id, "worker-1", Data.Step(3))], Ct);

        results.ShouldHaveSingleItem().Events.ShouldHaveSingleItem().Position.ShouldBe(3);
        (await GetRunAsync(running.Id)).LastSeq.ShouldBe(3);
    }

    [Fact]
    public async Task ApplyBatch_RejectedWriteInTheMiddle_AppliesTheOthersInOrder()
    {
        var running = await CreateRunningRunAsync();
        var newRun = Data.NewRun(OrgId);

        var results = await Runs.ApplyAsync(
        [
            new AppendEventWrite(running.Id, "worker-1", Data.Step(3)),
            new AppendEventWrite(running.Id, "intruder", Data.Step(4)),
            RunStateMachine.Create(newRun, idempotency: null),
            new AppendEventWrite(running.Id, "worker-1", Data.Step(4)),
        ], Ct);

        results.Select(r => r.Outcome).ShouldBe([RunWriteOutcome.Applied, RunWriteOutcome.Rejected, RunWriteOutcome.Applied, RunWriteOutcome.Applied]);
        results[1].Events.ShouldBeEmpty();
        results[2].Run.ShouldNotBeNull().Id.ShouldBe(newRun.Id);
        results[3].Events.ShouldHaveSingleItem().Position.ShouldBe(4);
        (await GetRunAsync(running.Id)).LastPosition.ShouldBe(4);
    }

    [Fact]
    public async Task ApplyBatch_WritesOfManyRunsInterleaved_NumbersEachRunOnItsOwn()
    {
        var a = await CreateRunningRunAsync("worker-a");
        var b = await CreateRunningRunAsync("worker-b");
        var writes = new List<RunWrite>();
        for (var i = 0; i < 50; i++)
        {
            writes.Add(new AppendEventWrite(a.Id, "worker-a", Data.Step(3 + i)));
            writes.Add(new AppendEventWrite(b.Id, "worker-b", Data.Step(3 + i)));
        }

        var results = await Runs.ApplyAsync(writes, Ct);

        results.Count.ShouldBe(100);
        results.ShouldAllBe(r => r.Outcome == RunWriteOutcome.Applied);
        results.Where((_, i) => i % 2 == 0).Select(r => r.Events.Single().Position).ShouldBe(Enumerable.Range(3, 50).Select(p => (long)p));
        results.Where((_, i) => i % 2 == 1).Select(r => r.Events.Single().Seq).ShouldBe(Enumerable.Range(3, 50));
        foreach (var run in new[] { a, b })
        {
            var stored = await GetRunAsync(run.Id);
            (stored.LastSeq, stored.LastPosition).ShouldBe((52, 52L));
            (await Events.CountAsync(run.Id, 0, Ct)).ShouldBe(52);
        }
    }

    [Fact]
    public async Task ApplyBatch_CreateThenWritesToTheSameRunInOneBatch_SeesTheCreatedRun()
    {
        var run = Data.NewRun(OrgId);

        var results = await Runs.ApplyAsync(
            [RunStateMachine.Create(run, idempotency: null), Data.States.CancelPending(run.Id)], Ct);

        results.Select(r => r.Outcome).ShouldBe([RunWriteOutcome.Applied, RunWriteOutcome.Applied]);
        results[1].Run.ShouldNotBeNull().Status.ShouldBe(RunStatus.Error);
        results[1].Events.ShouldHaveSingleItem().Position.ShouldBe(2);
        (await GetRunAsync(run.Id)).Error.ShouldNotBeNull().Code.ShouldBe(RunErrorCodes.Cancelled);
    }

    [Fact]
    public async Task ApplyBatch_WriteToUnknownRun_IsRejected()
    {
        var results = await Runs.ApplyAsync(
        [
            new AppendEventWrite("run_missing", "worker-1", Data.Step(1)),
            new UpdateEventWrite("run_missing", "worker-1", 1, StoreTestData.Json("{}"), Data.Now),
            new UsageWrite("run_missing", "worker-1", RunUsage.Zero, null, Data.Now),
            Data.States.CancelPending("run_missing"),
        ], Ct);

        results.ShouldAllBe(r => r.Outcome == RunWriteOutcome.Rejected);
    }

    [Fact]
    public async Task CreateRun_DuplicateRunId_ThrowsAndKeepsTheFirst()
    {
        var run = await CreateRunAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => Runs.ApplyAsync(
            [RunStateMachine.Create(Data.NewRun(OrgId) with { Id = run.Id, AgentId = "agt_other" }, idempotency: null)], Ct));

        (await GetRunAsync(run.Id)).AgentId.ShouldBe(run.AgentId);
    }

    [Fact]
    public async Task GetRun_IdsFromTheGenerator_SortByCreation()
    {
        var first = await CreateRunAsync();
        var second = await CreateRunAsync();

        string.CompareOrdinal(first.Id, second.Id).ShouldBeLessThan(0);
        first.Id.ShouldStartWith(IdGenerator.Prefix.Run);
    }

    [Fact]
    public async Task Transition_ChangesLeftNull_KeepTheRunsValues()
    {
        var running = await CreateRunningRunAsync();
        await ApplyAsync(new UsageWrite(running.Id, "worker-1", StoreTestData.Usage(2), "offline-1", Data.Now));
        Data.Time.Advance(TimeSpan.FromSeconds(1));

        var released = await ApplyAsync(Data.States.Release(running.Id, "worker-1", 3, "Shutting down."));

        var run = released.Run.ShouldNotBeNull();
        (run.Usage, run.Model, run.StartedAt, run.CompletedAt).ShouldBe((StoreTestData.Usage(2), "offline-1", (DateTimeOffset?)StoreTestData.Start, (DateTimeOffset?)null));
        (run.ResultData, run.Error, run.UpdatedAt).ShouldBe(((System.Text.Json.JsonElement?)null, (RunError?)null, Data.Now));
    }

    [Fact]
    public async Task UsageWrite_WithoutAModel_KeepsTheModelAlreadyRecorded()
    {
        var running = await CreateRunningRunAsync();
        await ApplyAsync(new UsageWrite(running.Id, "worker-1", StoreTestData.Usage(1), "offline-1", Data.Now));

        await ApplyAsync(new UsageWrite(running.Id, "worker-1", StoreTestData.Usage(2), null, Data.Now));
        await ApplyAsync(Data.States.Fail(running.Id, "worker-1", 3, new RunError(RunErrorCodes.Timeout, "Too slow.", null), StoreTestData.Usage(3), null));

        var run = await GetRunAsync(running.Id);
        (run.Usage, run.Model).ShouldBe((StoreTestData.Usage(3), "offline-1"));
    }
}
