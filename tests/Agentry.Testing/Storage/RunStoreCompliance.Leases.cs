using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    [Fact]
    public async Task RenewLeases_HeldLostAndUnknownRuns_ReportsEachAndExtendsOnlyTheHeld()
    {
        var mine = await CreateRunningRunAsync("worker-1");
        var theirs = await CreateRunningRunAsync("worker-2");
        var newExpiry = Data.Now.AddMinutes(5);

        var states = await Runs.RenewLeasesAsync("worker-1", [mine.Id, theirs.Id, "run_missing"], newExpiry, Ct);

        states.OrderBy(s => s.RunId, StringComparer.Ordinal).ShouldBe(
            new[]
            {
                new LeaseState(mine.Id, StillHeld: true, CancelRequested: false),
                new LeaseState(theirs.Id, StillHeld: false, CancelRequested: false),
                new LeaseState("run_missing", StillHeld: false, CancelRequested: false),
            }.OrderBy(s => s.RunId, StringComparer.Ordinal));
        (await GetRunAsync(mine.Id)).LeaseExpiresAt.ShouldBe(newExpiry);
        (await GetRunAsync(theirs.Id)).LeaseExpiresAt.ShouldBe(theirs.LeaseExpiresAt);
    }

    [Fact]
    public async Task RequestCancel_RunningRun_IsVisibleInTheNextRenewal()
    {
        var running = await CreateRunningRunAsync("worker-1");
        Data.Time.Advance(TimeSpan.FromSeconds(1));

        (await Runs.RequestCancelAsync(OrgId, running.Id, Data.Now, Ct)).ShouldBeTrue();

        (await Runs.RenewLeasesAsync("worker-1", [running.Id], Data.Now.AddSeconds(30), Ct))
            .ShouldHaveSingleItem().ShouldBe(new LeaseState(running.Id, StillHeld: true, CancelRequested: true));
        var stored = await GetRunAsync(running.Id);
        (stored.CancelRequested, stored.Status, stored.UpdatedAt).ShouldBe((true, RunStatus.Running, Data.Now));
    }

    [Fact]
    public async Task RequestCancel_RunThatIsNotRunningOrOfAnotherOrganization_ReturnsFalse()
    {
        var pending = await CreateRunAsync();
        (await Runs.RequestCancelAsync(OrgId, pending.Id, Data.Now, Ct)).ShouldBeFalse();
        (await Runs.RequestCancelAsync(OrgId, "run_missing", Data.Now, Ct)).ShouldBeFalse();
        await ApplyAsync(Data.States.CancelPending(pending.Id));

        var running = await CreateRunningRunAsync();
        (await Runs.RequestCancelAsync(OtherOrgId, running.Id, Data.Now, Ct)).ShouldBeFalse();
        (await GetRunAsync(running.Id)).CancelRequested.ShouldBeFalse();

        await ApplyAsync(Data.States.Complete(running.Id, "worker-1", 3, StoreTestData.Json("{}"), [], RunUsage.Zero, null));
        (await Runs.RequestCancelAsync(OrgId, running.Id, Data.Now, Ct)).ShouldBeFalse();
        (await GetRunAsync(pending.Id)).CancelRequested.ShouldBeFalse();
    }

    [Fact]
    public async Task Release_RunWithACancelRequest_DropsTheLeaseAndTheRequest()
    {
        var running = await CreateRunningRunAsync("worker-1");
        await Runs.RequestCancelAsync(OrgId, running.Id, Data.Now, Ct);

        var released = await ApplyAsync(Data.States.Release(running.Id, "worker-1", 3, "Shutting down."));

        var run = released.Run.ShouldNotBeNull();
        (run.Status, run.LeaseOwner, run.LeaseExpiresAt, run.CancelRequested).ShouldBe((RunStatus.Pending, (string?)null, (DateTimeOffset?)null, false));
        (await Runs.RenewLeasesAsync("worker-1", [running.Id], Data.Now.AddSeconds(30), Ct)).ShouldHaveSingleItem().StillHeld.ShouldBeFalse();
    }

    [Fact]
    public async Task FindExpiredLeases_SomeLeasesPastNow_ReturnsOnlyThoseOldestLeaseFirst()
    {
        var late = await CreateRunningRunAsync("worker-1");
        var later = await CreateRunningRunAsync("worker-2");
        var fresh = await CreateRunningRunAsync("worker-3");
        await CreateRunAsync();
        await Runs.RenewLeasesAsync("worker-1", [late.Id], Data.Now.AddSeconds(10), Ct);
        await Runs.RenewLeasesAsync("worker-2", [later.Id], Data.Now.AddSeconds(5), Ct);
        await Runs.RenewLeasesAsync("worker-3", [fresh.Id], Data.Now.AddSeconds(60), Ct);
        Data.Time.Advance(TimeSpan.FromSeconds(20));

        var expired = await Runs.FindExpiredLeasesAsync(Data.Now, 10, Ct);

        expired.Select(r => r.Id).ShouldBe([later.Id, late.Id]);
        (await Runs.FindExpiredLeasesAsync(Data.Now, 1, Ct)).Select(r => r.Id).ShouldBe([later.Id]);
        (await Runs.FindExpiredLeasesAsync(StoreTestData.Start.AddSeconds(5), 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WorkerLost_LeaseStillExpired_FailsTheRunAndFencesOutTheOldWorker()
    {
        var running = await CreateRunningRunAsync("worker-1");
        await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3)));
        Data.Time.Advance(TimeSpan.FromMinutes(1));
        var expired = (await Runs.FindExpiredLeasesAsync(Data.Now, 10, Ct)).ShouldHaveSingleItem();

        var lost = await ApplyAsync(Data.States.WorkerLost(expired));

        lost.Outcome.ShouldBe(RunWriteOutcome.Applied);
        var run = lost.Run.ShouldNotBeNull();
        (run.Status, run.LeaseOwner, run.CompletedAt).ShouldBe((RunStatus.Error, (string?)null, (DateTimeOffset?)Data.Now));
        run.Error.ShouldNotBeNull().Code.ShouldBe(RunErrorCodes.WorkerLost);
        run.Error.EventSeq.ShouldBe(3);
        (run.LastSeq, run.LastPosition).ShouldBe((4, 4L));
        (await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(4)))).Outcome.ShouldBe(RunWriteOutcome.Rejected);
        (await Runs.RenewLeasesAsync("worker-1", [running.Id], Data.Now.AddSeconds(30), Ct)).ShouldHaveSingleItem().StillHeld.ShouldBeFalse();
        (await Runs.FindExpiredLeasesAsync(Data.Now, 10, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task WorkerLost_WorkerRenewedJustBefore_IsRejected()
    {
        var running = await CreateRunningRunAsync("worker-1");
        Data.Time.Advance(TimeSpan.FromMinutes(1));
        var expired = (await Runs.FindExpiredLeasesAsync(Data.Now, 10, Ct)).ShouldHaveSingleItem();
        await Runs.RenewLeasesAsync("worker-1", [running.Id], Data.Now.AddSeconds(30), Ct);

        var lost = await ApplyAsync(Data.States.WorkerLost(expired));

        lost.Outcome.ShouldBe(RunWriteOutcome.Rejected);
        (await GetRunAsync(running.Id)).Status.ShouldBe(RunStatus.Running);
        (await ApplyAsync(new AppendEventWrite(running.Id, "worker-1", Data.Step(3)))).Outcome.ShouldBe(RunWriteOutcome.Applied);
    }

    [Fact]
    public async Task WorkerLost_RunReclaimedByAnotherWorker_IsRejected()
    {
        var running = await CreateRunningRunAsync("worker-1");
        Data.Time.Advance(TimeSpan.FromMinutes(1));
        var expired = (await Runs.FindExpiredLeasesAsync(Data.Now, 10, Ct)).ShouldHaveSingleItem();
        await ApplyAsync(Data.States.Release(running.Id, "worker-1", 3, "Handing over."));
        await Runs.ClaimAsync("worker-2", 1, Data.Now.AddSeconds(-1), Data.States.Claimed(), Ct);

        var lost = await ApplyAsync(Data.States.WorkerLost(expired));

        lost.Outcome.ShouldBe(RunWriteOutcome.Rejected);
        (await GetRunAsync(running.Id)).LeaseOwner.ShouldBe("worker-2");
    }
}
