using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    [Fact]
    public async Task WorkerWrites_FromAnotherLeaseOwner_AreRejectedAndChangeNothing()
    {
        var running = await CreateRunningRunAsync("worker-1");
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3, finished: false)));

        var results = await Runs.ApplyAsync(
        [
            new AppendEventWrite(running.Id, "worker-2", Data.Step(4)),
            new UpdateEventWrite(running.Id, "worker-2", 3, StoreTestData.Json("""{"hijacked":true}"""), Data.Now),
            new UsageWrite(running.Id, "worker-2", StoreTestData.Usage(5), "stolen", Data.Now),
            Data.States.Complete(running.Id, "worker-2", 4, StoreTestData.Json("{}"), [], RunUsage.Zero, null),
        ], Ct);

        results.ShouldAllBe(r => r.Outcome == RunWriteOutcome.Rejected && r.Events.Count == 0 && r.Run == null);
        var stored = await GetRunAsync(running.Id);
        (stored.Status, stored.LastSeq, stored.LastPosition, stored.Usage, stored.Model).ShouldBe((RunStatus.Running, 3, 3L, RunUsage.Zero, (string?)null));
        (await AllEventsAsync(running.Id))[^1].FinishedAt.ShouldBeNull();
    }

    [Fact]
    public async Task WorkerWrites_ToARunThatIsNotRunning_AreRejected()
    {
        var finished = await CreateRunningRunAsync();
        await ApplyAsync(Data.States.Complete(finished.Id, "worker-1", 3, StoreTestData.Json("{}"), [], RunUsage.Zero, null));
        var pending = await CreateRunAsync();

        var results = await Runs.ApplyAsync(
        [
            new AppendEventWrite(pending.Id, "worker-1", Data.Step(2)),
            new UsageWrite(pending.Id, "worker-1", StoreTestData.Usage(1), null, Data.Now),
            new AppendEventWrite(finished.Id, "worker-1", Data.Step(4)),
            new UpdateEventWrite(finished.Id, "worker-1", 3, StoreTestData.Json("{}"), Data.Now),
        ], Ct);

        results.ShouldAllBe(r => r.Outcome == RunWriteOutcome.Rejected);
        (await GetRunAsync(pending.Id)).LastPosition.ShouldBe(1);
        (await GetRunAsync(finished.Id)).LastPosition.ShouldBe(3);
    }

    [Fact]
    public async Task Transition_FromAStatusTheRunNoLongerHas_IsRejected()
    {
        var running = await CreateRunningRunAsync();
        (await ApplyAsync(Data.States.Complete(running.Id, "worker-1", 3, StoreTestData.Json("{}"), [], RunUsage.Zero, null))).Outcome.ShouldBe(RunWriteOutcome.Applied);

        var again = await ApplyAsync(Data.States.Fail(running.Id, "worker-1", 4, new RunError(RunErrorCodes.Internal, "late", null), RunUsage.Zero, null));
        var cancelPending = await ApplyAsync(Data.States.CancelPending(running.Id));

        again.ShouldBe(RunWriteResult.Rejected);
        cancelPending.Outcome.ShouldBe(RunWriteOutcome.Rejected);
        var stored = await GetRunAsync(running.Id);
        (stored.Status, stored.LastSeq, stored.Error).ShouldBe((RunStatus.Done, 3, (RunError?)null));
    }

    [Fact]
    public async Task CancelAndComplete_Concurrently_ExactlyOneWins()
    {
        for (var round = 0; round < 10; round++)
        {
            var running = await CreateRunningRunAsync();
            var seq = running.LastSeq + 1;
            var cancel = Data.States.Fail(running.Id, "worker-1", seq, new RunError(RunErrorCodes.Cancelled, "Cancelled.", null), RunUsage.Zero, null);
            var complete = Data.States.Complete(running.Id, "worker-1", seq, StoreTestData.Json("{}"), [], RunUsage.Zero, null);

            var outcomes = await Task.WhenAll(Task.Run(() => ApplyAsync(cancel)), Task.Run(() => ApplyAsync(complete)));

            outcomes.Count(r => r.Outcome == RunWriteOutcome.Applied).ShouldBe(1);
            outcomes.Count(r => r.Outcome == RunWriteOutcome.Rejected).ShouldBe(1);
            var stored = await GetRunAsync(running.Id);
            stored.Status.ShouldBe(outcomes[0].Outcome == RunWriteOutcome.Applied ? RunStatus.Error : RunStatus.Done);
            (await Events.CountAsync(running.Id, 0, Ct)).ShouldBe(3);
        }
    }

    [Fact]
    public async Task CancelPendingAndClaim_Concurrently_ExactlyOneWins()
    {
        for (var round = 0; round < 10; round++)
        {
            var run = await CreateRunAsync();

            var cancel = Task.Run(() => ApplyAsync(Data.States.CancelPending(run.Id)));
            var claim = Task.Run(() => Runs.ClaimAsync("worker-1", 1, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct));
            var (cancelled, claimed) = (await cancel, await claim);

            (cancelled.Outcome == RunWriteOutcome.Applied).ShouldNotBe(claimed.Count == 1);
            var stored = await GetRunAsync(run.Id);
            stored.Status.ShouldBe(claimed.Count == 1 ? RunStatus.Running : RunStatus.Error);
            if (stored.Status == RunStatus.Running)
            {
                // Leave no pending run behind for the next round's claim.
                await ApplyAsync(Data.States.Complete(run.Id, "worker-1", 3, StoreTestData.Json("{}"), [], RunUsage.Zero, null));
            }
        }
    }
}
