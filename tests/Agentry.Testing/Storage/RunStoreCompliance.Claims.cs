using System.Collections.Concurrent;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    [Fact]
    public async Task Claim_SeveralPendingRuns_TakesTheOldestFirstAndLeasesThem()
    {
        var oldest = await CreateRunAsync(OrgId);
        Data.Time.Advance(TimeSpan.FromMilliseconds(5));
        var middle = await CreateRunAsync(OtherOrgId);
        Data.Time.Advance(TimeSpan.FromMilliseconds(5));
        var newest = await CreateRunAsync(OrgId);
        Data.Time.Advance(TimeSpan.FromSeconds(1));
        var leaseUntil = Data.Now.AddSeconds(30);

        var claimed = await Runs.ClaimAsync("worker-1", 2, leaseUntil, Data.States.Claimed(), Ct);

        claimed.Select(r => r.Id).ShouldBe([oldest.Id, middle.Id]);
        foreach (var run in claimed)
        {
            (run.Status, run.LeaseOwner, run.LeaseExpiresAt, run.Attempt).ShouldBe((RunStatus.Running, "worker-1", (DateTimeOffset?)leaseUntil, 1));
            run.StartedAt.ShouldBe(Data.Now);
            run.UpdatedAt.ShouldBe(Data.Now);
            (run.LastSeq, run.LastPosition).ShouldBe((2, 2L));
            var statusEvent = (await AllEventsAsync(run.Id))[^1];
            (statusEvent.Seq, statusEvent.Position, statusEvent.Type).ShouldBe((2, 2L, RunEventTypes.Status));
            ShouldBeJson(statusEvent.Data, """{"status":"running","previous":"pending"}""");
        }

        (await GetRunAsync(newest.Id)).Status.ShouldBe(RunStatus.Pending);
        (await Runs.CountPendingAsync(Ct)).ShouldBe(1);
        (await Runs.ClaimAsync("worker-2", 5, leaseUntil, Data.States.Claimed(), Ct)).Select(r => r.Id).ShouldBe([newest.Id]);
        (await Runs.ClaimAsync("worker-2", 5, leaseUntil, Data.States.Claimed(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Claim_ConcurrentClaimers_ClaimEveryRunExactlyOnce()
    {
        var created = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            created.Add((await CreateRunAsync()).Id);
        }

        var claims = new ConcurrentBag<(string Worker, string RunId)>();
        var workers = Enumerable.Range(1, 4).Select(w => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await Runs.ClaimAsync($"worker-{w}", 3, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct);
                if (batch.Count == 0)
                {
                    return;
                }

                // Each claim takes the oldest runs still pending, in order.
                string.Join(",", batch.Select(r => r.Id)).ShouldBe(string.Join(",", batch.Select(r => r.Id).Order(StringComparer.Ordinal)));
                foreach (var run in batch)
                {
                    run.LeaseOwner.ShouldBe($"worker-{w}");
                    claims.Add((run.LeaseOwner!, run.Id));
                }
            }
        })).ToList();
        await Task.WhenAll(workers);

        claims.Select(c => c.RunId).Order(StringComparer.Ordinal).ShouldBe(created);
        foreach (var (worker, runId) in claims)
        {
            var run = await GetRunAsync(runId);
            (run.LeaseOwner, run.Attempt, run.LastSeq).ShouldBe((worker, 1, 2));
        }
    }

    [Fact]
    public async Task Claim_ARunGivenBack_IsClaimedAgainWithTheNextAttemptAndKeepsItsStartTime()
    {
        var first = await CreateRunningRunAsync("worker-1");
        await ApplyAsync(new AppendEventWrite(first.Id, "worker-1", Data.Step(3)));
        Data.Time.Advance(TimeSpan.FromSeconds(10));
        var released = await ApplyAsync(Data.States.Release(first.Id, "worker-1", 4, "Shutting down."));
        released.Run.ShouldNotBeNull().Status.ShouldBe(RunStatus.Pending);
        (released.Run.LeaseOwner, released.Run.LeaseExpiresAt, released.Run.StatusMessage).ShouldBe(((string?)null, (DateTimeOffset?)null, "Shutting down."));
        Data.Time.Advance(TimeSpan.FromSeconds(10));

        var again = (await Runs.ClaimAsync("worker-2", 1, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct)).ShouldHaveSingleItem();

        again.Id.ShouldBe(first.Id);
        (again.Attempt, again.LeaseOwner, again.StartedAt).ShouldBe((2, "worker-2", (DateTimeOffset?)StoreTestData.Start));
        (again.LastSeq, again.LastPosition).ShouldBe((5, 5L));
        (await ApplyAsync(new AppendEventWrite(first.Id, "worker-1", Data.Step(6)))).Outcome.ShouldBe(RunWriteOutcome.Rejected);
        (await ApplyAsync(new AppendEventWrite(first.Id, "worker-2", Data.Step(6)))).Outcome.ShouldBe(RunWriteOutcome.Applied);
    }

    [Fact]
    public async Task Claim_ARunCancelledBeforeItStarted_IsNeverClaimed()
    {
        var run = await CreateRunAsync();

        var cancelled = await ApplyAsync(Data.States.CancelPending(run.Id));

        cancelled.Run.ShouldNotBeNull().Status.ShouldBe(RunStatus.Error);
        cancelled.Run.Error.ShouldNotBeNull().Code.ShouldBe(RunErrorCodes.Cancelled);
        cancelled.Run.CompletedAt.ShouldBe(Data.Now);
        (await Runs.ClaimAsync("worker-1", 10, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct)).ShouldBeEmpty();
        (await Runs.CountPendingAsync(Ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Claim_NothingPending_ReturnsNoRuns()
    {
        (await Runs.ClaimAsync("worker-1", 5, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct)).ShouldBeEmpty();
    }
}
