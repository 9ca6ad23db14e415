using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Testing.Storage;

public abstract partial class RunStoreCompliance
{
    private IdempotencyClaim Claim(string key, string inputHash) => new(key, inputHash, Data.Now.AddHours(24));

    [Fact]
    public async Task CreateRun_SameIdempotencyKeyAndInput_ReturnsTheExistingRun()
    {
        var first = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")));
        Data.Time.Advance(TimeSpan.FromMinutes(5));

        var second = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")));

        first.Outcome.ShouldBe(RunWriteOutcome.Applied);
        first.Run.ShouldNotBeNull().IdempotencyKey.ShouldBe("key-1");
        second.Outcome.ShouldBe(RunWriteOutcome.Existing);
        second.Run.ShouldNotBeNull().Id.ShouldBe(first.Run.Id);
        second.Events.ShouldBeEmpty();
        (await Runs.ListAsync(new RunQuery { OrganizationId = OrgId }, Ct)).Total.ShouldBe(1);
    }

    [Fact]
    public async Task CreateRun_SameIdempotencyKeyOtherInput_Conflicts()
    {
        var first = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")));
        var other = Data.NewRun(OrgId, input: """{"topic":"other"}""");

        var second = await ApplyAsync(RunStateMachine.Create(other, Claim("key-1", "hash-b")));

        second.Outcome.ShouldBe(RunWriteOutcome.Conflict);
        second.Events.ShouldBeEmpty();
        (await Runs.GetForEngineAsync(other.Id, Ct)).ShouldBeNull();
        (await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")))).Run.ShouldNotBeNull().Id.ShouldBe(first.Run!.Id);
    }

    [Fact]
    public async Task CreateRun_ExpiredIdempotencyKey_CreatesANewRunThatTakesOverTheKey()
    {
        var first = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), new IdempotencyClaim("key-1", "hash-a", Data.Now.AddSeconds(1))));
        Data.Time.Advance(TimeSpan.FromSeconds(2));

        var second = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-b")));
        var third = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-b")));

        second.Outcome.ShouldBe(RunWriteOutcome.Applied);
        second.Run.ShouldNotBeNull().Id.ShouldNotBe(first.Run.ShouldNotBeNull().Id);
        third.Outcome.ShouldBe(RunWriteOutcome.Existing);
        third.Run.ShouldNotBeNull().Id.ShouldBe(second.Run.Id);
    }

    [Fact]
    public async Task CreateRun_SameIdempotencyKeyInAnotherOrganization_CreatesANewRun()
    {
        var mine = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")));

        var theirs = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OtherOrgId), Claim("key-1", "hash-a")));

        theirs.Outcome.ShouldBe(RunWriteOutcome.Applied);
        theirs.Run.ShouldNotBeNull().OrganizationId.ShouldBe(OtherOrgId);
        theirs.Run.Id.ShouldNotBe(mine.Run.ShouldNotBeNull().Id);
    }

    [Fact]
    public async Task CreateRun_SameIdempotencyKeyTwiceInOneBatch_SecondAnswersTheFirst()
    {
        var results = await Runs.ApplyAsync(
        [
            RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")),
            RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")),
            RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-b")),
        ], Ct);

        results.Select(r => r.Outcome).ShouldBe([RunWriteOutcome.Applied, RunWriteOutcome.Existing, RunWriteOutcome.Conflict]);
        results[1].Run.ShouldNotBeNull().Id.ShouldBe(results[0].Run.ShouldNotBeNull().Id);
    }

    [Fact]
    public async Task CreateRun_ExistingRunHasProgressed_AnswersItAsItStandsNow()
    {
        var first = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")));
        var claimed = (await Runs.ClaimAsync("worker-1", 1, Data.Now.AddSeconds(30), Data.States.Claimed(), Ct)).ShouldHaveSingleItem();
        await ApplyAsync(new AppendEventWrite(claimed.Id, "worker-1", Data.Step(3)));

        var again = await ApplyAsync(RunStateMachine.Create(Data.NewRun(OrgId), Claim("key-1", "hash-a")));

        var run = again.Run.ShouldNotBeNull();
        (run.Id, run.Status, run.LastSeq).ShouldBe((first.Run!.Id, RunStatus.Running, 3));
    }
}
