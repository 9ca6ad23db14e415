using Agentry.Core.Execution;

namespace Agentry.Core.Tests.Execution;

public sealed class ActiveRunsTests
{
    [Fact]
    public void TryStop_ExecutingRun_CancelsItsTokenWithTheFirstReason()
    {
        var runs = new ActiveRuns();
        using var run = runs.Add("run_1");

        runs.TryStop("run_1", RunStopReason.Cancelled).ShouldBeTrue();
        runs.TryStop("run_1", RunStopReason.TimedOut).ShouldBeTrue();

        run.Token.IsCancellationRequested.ShouldBeTrue();
        run.Reason.ShouldBe(RunStopReason.Cancelled);
    }

    [Fact]
    public void TryStop_RunClaimedButNotYetStarted_StopsItWhenItStarts()
    {
        var runs = new ActiveRuns();

        runs.TryStop("run_2", RunStopReason.Cancelled).ShouldBeFalse();
        using var run = runs.Add("run_2");

        run.Token.IsCancellationRequested.ShouldBeTrue();
        run.Reason.ShouldBe(RunStopReason.Cancelled);
    }

    [Fact]
    public void Add_AfterTheRunEnded_LeavesNoTrace()
    {
        var runs = new ActiveRuns();
        using (runs.Add("run_3"))
        {
            runs.Count.ShouldBe(1);
        }

        runs.Count.ShouldBe(0);
        using var again = runs.Add("run_3");
        again.Token.IsCancellationRequested.ShouldBeFalse();
    }
}
