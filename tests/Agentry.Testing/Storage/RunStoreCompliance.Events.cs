using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    /// <summary>
    /// A run through its whole life: create (seq 1), claim (2), a planning step (3), a tool call started (4) and
    /// finished in place, a narration (5), completion (6). Answers the run id; positions 1–7 were taken.
    /// </summary>
    protected async Task<string> RunThroughAWholeLifeAsync()
    {
        var running = await CreateRunningRunAsync();
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3, RunEventTypes.Planning, """{"plan":["search"]}""")));
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(4, RunEventTypes.ToolCall, """{"id":"call_1","name":"searchWeb"}""", finished: false)));
        Data.Time.Advance(TimeSpan.FromMilliseconds(250));
        await ApplyAsync(new UpdateEventWrite(running.Id, "worker-1", 4, StoreTestData.Json("""{"id":"call_1","name":"searchWeb","output":"ok"}"""), Data.Now));
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(5)));
        await ApplyAsync(Data.States.Complete(running.Id, "worker-1", 6, StoreTestData.Json("{}"), [], StoreTestData.Usage(1), "offline-1"));
        return running.Id;
    }

    [Fact]
    public async Task EventLog_CreateClaimAppendUpdateComplete_NumbersSeqAndPositionWithoutGaps()
    {
        var runId = await RunThroughAWholeLifeAsync();

        var events = await AllEventsAsync(runId);

        events.Select(e => e.Seq).ShouldBe([1, 2, 3, 4, 5, 6]);
        events.Select(e => e.Position).ShouldBe([1L, 2, 3, 5, 6, 7]);
        events.Select(e => e.Type).ShouldBe([RunEventTypes.Status, RunEventTypes.Status, RunEventTypes.Planning, RunEventTypes.ToolCall, RunEventTypes.Narration, RunEventTypes.Status]);
        var toolCall = events[3];
        ShouldBeJson(toolCall.Data, """{"id":"call_1","name":"searchWeb","output":"ok"}""");
        toolCall.StartedAt.ShouldBe(StoreTestData.Start);
        toolCall.FinishedAt.ShouldBe(StoreTestData.Start.AddMilliseconds(250));
        var run = await GetRunAsync(runId);
        (run.LastSeq, run.LastPosition).ShouldBe((6, 7L));
    }

    [Fact]
    public async Task WriteResults_OfEveryKind_CarryTheEventsAsStored()
    {
        var running = await CreateRunningRunAsync();
        var step = Data.Step(3, RunEventTypes.ToolCall, """{"id":"call_1"}""", finished: false);

        var appended = (await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", step))).Events.ShouldHaveSingleItem();
        Data.Time.Advance(TimeSpan.FromSeconds(1));
        var updated = (await ApplyAsync(new UpdateEventWrite(running.Id, "worker-1", 3, StoreTestData.Json("""{"id":"call_1","output":1}"""), Data.Now))).Events.ShouldHaveSingleItem();
        var completed = (await ApplyAsync(Data.States.Complete(running.Id, "worker-1", 4, StoreTestData.Json("{}"), [], RunUsage.Zero, null))).Events.ShouldHaveSingleItem();

        (appended.RunId, appended.Seq, appended.Position, appended.Type, appended.StartedAt, appended.FinishedAt)
            .ShouldBe((running.Id, 3, 3L, RunEventTypes.ToolCall, StoreTestData.Start, (DateTimeOffset?)null));
        (updated.Seq, updated.Position, updated.Type, updated.StartedAt, updated.FinishedAt)
            .ShouldBe((3, 4L, RunEventTypes.ToolCall, StoreTestData.Start, (DateTimeOffset?)StoreTestData.Start.AddSeconds(1)));
        ShouldBeJson(updated.Data, """{"id":"call_1","output":1}""");
        (completed.Seq, completed.Position, completed.Type).ShouldBe((4, 5L, RunEventTypes.Status));
        ShouldBeJson(completed.Data, """{"status":"done","previous":"running"}""");
        var stored = await AllEventsAsync(running.Id);
        stored.Select(e => (e.Seq, e.Position)).ShouldBe([(1, 1L), (2, 2L), (3, 4L), (4, 5L)]);
    }

    [Fact]
    public async Task ReadChanges_ResumedFromEveryPosition_ReturnsEachChangeOnceInOrder()
    {
        var runId = await RunThroughAWholeLifeAsync();
        var current = (await AllEventsAsync(runId)).ToDictionary(e => e.Seq);

        for (var after = 0L; after <= 8; after++)
        {
            var changes = await Events.ReadChangesAsync(runId, after, 100, Ct);

            var expected = current.Values.Where(e => e.Position > after).OrderBy(e => e.Position).Select(e => (e.Seq, e.Position)).ToList();
            changes.Select(e => (e.Seq, e.Position)).ShouldBe(expected, $"resuming after position {after}");
        }
    }

    [Fact]
    public async Task ReadChanges_PagedWithSmallLimits_ReassemblesTheWholeLogWithoutGapOrDuplicate()
    {
        var runId = await RunThroughAWholeLifeAsync();

        var seen = new List<RunEvent>();
        var after = 0L;
        while (true)
        {
            var page = await Events.ReadChangesAsync(runId, after, 2, Ct);
            if (page.Count == 0)
            {
                break;
            }

            page.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page);
            after = page[^1].Position;
        }

        seen.Select(e => e.Seq).ShouldBe([1, 2, 3, 4, 5, 6]);
        seen.Select(e => e.Position).ShouldBe([1L, 2, 3, 5, 6, 7]);
    }

    [Fact]
    public async Task ReadChanges_AfterAnInPlaceUpdate_ResendsTheUpdatedEventWithItsNewPosition()
    {
        var running = await CreateRunningRunAsync();
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3, RunEventTypes.ToolCall, """{"id":"call_1"}""", finished: false)));
        var seenBefore = await Events.ReadChangesAsync(running.Id, 0, 100, Ct);
        seenBefore[^1].FinishedAt.ShouldBeNull();

        await ApplyAsync(new UpdateEventWrite(running.Id, "worker-1", 3, StoreTestData.Json("""{"id":"call_1","output":"done"}"""), Data.Now));
        var resumed = await Events.ReadChangesAsync(running.Id, seenBefore[^1].Position, 100, Ct);

        var update = resumed.ShouldHaveSingleItem();
        (update.Seq, update.Position, update.FinishedAt).ShouldBe((3, 4L, (DateTimeOffset?)Data.Now));
        ShouldBeJson(update.Data, """{"id":"call_1","output":"done"}""");
    }

    [Fact]
    public async Task ListEvents_AfterSeqOffsetAndLimit_PageInSeqOrder()
    {
        var runId = await RunThroughAWholeLifeAsync();

        (await Events.ListAsync(runId, 0, 0, 100, Ct)).Select(e => e.Seq).ShouldBe([1, 2, 3, 4, 5, 6]);
        (await Events.ListAsync(runId, 2, 0, 100, Ct)).Select(e => e.Seq).ShouldBe([3, 4, 5, 6]);
        (await Events.ListAsync(runId, 0, 2, 3, Ct)).Select(e => e.Seq).ShouldBe([3, 4, 5]);
        (await Events.ListAsync(runId, 3, 1, 2, Ct)).Select(e => e.Seq).ShouldBe([5, 6]);
        (await Events.ListAsync(runId, 6, 0, 100, Ct)).ShouldBeEmpty();
        (await Events.CountAsync(runId, 0, Ct)).ShouldBe(6);
        (await Events.CountAsync(runId, 4, Ct)).ShouldBe(2);
        (await Events.CountAsync("run_missing", 0, Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task AppendEvent_WithoutSeq_TakesTheRunsNextSeq()
    {
        var running = await CreateRunningRunAsync();

        var results = await Runs.ApplyAsync(
            [new AppendEventWrite(running.Id, "worker-1", Data.Step(null)), new AppendEventWrite(running.Id, "worker-1", Data.Step(null))], Ct);

        results.Select(r => (r.Events.Single().Seq, r.Events.Single().Position)).ShouldBe([(3, 3L), (4, 4L)]);
    }

    [Fact]
    public async Task Transition_WithoutSeq_TakesTheRunsNextSeqAfterAppendsInTheSameBatch()
    {
        var running = await CreateRunningRunAsync();

        var results = await Runs.ApplyAsync(
        [
            new AppendEventWrite(running.Id, "worker-1", Data.Step(3)),
            new AppendEventWrite(running.Id, "worker-1", Data.Step(4)),
            Data.States.WorkerLost(running) with { LeaseExpiredBefore = null },
        ], Ct);

        var lost = results[2];
        lost.Outcome.ShouldBe(RunWriteOutcome.Applied);
        (lost.Events.Single().Seq, lost.Events.Single().Position).ShouldBe((5, 5L));
        (lost.Run.ShouldNotBeNull().LastSeq, lost.Run.LastPosition).ShouldBe((5, 5L));
    }

    [Fact]
    public async Task UpdateEvent_UnknownSeq_IsRejectedAndTakesNoPosition()
    {
        var running = await CreateRunningRunAsync();

        var result = await ApplyAsync(new UpdateEventWrite(running.Id, "worker-1", 9, StoreTestData.Json("{}"), Data.Now));

        result.Outcome.ShouldBe(RunWriteOutcome.Rejected);
        (await GetRunAsync(running.Id)).LastPosition.ShouldBe(2);
    }

    [Fact]
    public async Task UsageWrite_WhileRunning_IsVisibleOnTheRunAndAddsNoEvent()
    {
        var running = await CreateRunningRunAsync();
        Data.Time.Advance(TimeSpan.FromSeconds(2));

        var result = await ApplyAsync(new UsageWrite(running.Id, "worker-1", StoreTestData.Usage(2), "offline-1", Data.Now));

        result.Outcome.ShouldBe(RunWriteOutcome.Applied);
        result.Events.ShouldBeEmpty();
        var stored = await GetRunAsync(running.Id);
        stored.Usage.ShouldBe(StoreTestData.Usage(2));
        stored.Model.ShouldBe("offline-1");
        stored.UpdatedAt.ShouldBe(Data.Now);
        (stored.LastSeq, stored.LastPosition).ShouldBe((2, 2L));
    }

    [Fact]
    public async Task EventLog_ManyEventsInOneBatch_AreAllStoredInOrder()
    {
        var running = await CreateRunningRunAsync();
        var writes = Enumerable.Range(3, 2_000).Select(seq => (RunWrite)new AppendEventWrite(running.Id, "worker-1", Data.Step(seq))).ToList();

        var results = await Runs.ApplyAsync(writes, Ct);

        results.Count.ShouldBe(2_000);
        (await Events.CountAsync(running.Id, 0, Ct)).ShouldBe(2_002);
        var changes = await Events.ReadChangesAsync(running.Id, 1_000, 5_000, Ct);
        changes.Select(e => e.Position).ShouldBe(Enumerable.Range(1_001, 1_002).Select(p => (long)p));
        (await GetRunAsync(running.Id)).LastSeq.ShouldBe(2_002);
    }
}
