using System.Net;
using System.Text.Json;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Client.Tests;

public sealed class RunTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AgentryClient _client = fixture.Server.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_ValidInput_StartsAndWaitsUntilDoneWithTheDocument()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);

        var run = await _client.RunAsync(agent.Id, new { topic = "AI in healthcare" }, cancellationToken: Ct);

        run.Status.ShouldBe(RunStatus.Done);
        run.IsTerminal.ShouldBeTrue();
        run.Document.ShouldNotBeNullOrWhiteSpace();
        run.Input.GetProperty("topic").GetString().ShouldBe("AI in healthcare");
        run.Usage.ModelCalls.ShouldBeGreaterThan(0);
        run.CompletedAt.ShouldNotBeNull();
        (await _client.GetRunAsync(run.Id, Ct)).Status.ShouldBe(RunStatus.Done);
    }

    [Fact]
    public async Task StartRun_InvalidInput_ThrowsInvalidInputNamingTheField()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);

        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.StartRunAsync(agent.Id, new { topic = "x" }, cancellationToken: Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.ErrorCode.ShouldBe("invalid_input");
        error.FieldErrors.ShouldHaveSingleItem().Path.ShouldBe("/topic");
        error.FieldErrors[0].Keyword.ShouldBe("minLength");
    }

    [Fact]
    public async Task StartRun_SameIdempotencyKeyAndInput_AnswersTheSameRun()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);
        var options = new StartRunOptions { IdempotencyKey = "order-42" };

        var first = await _client.StartRunAsync(agent.Id, new { topic = "Idempotency" }, options, Ct);
        var second = await _client.StartRunAsync(agent.Id, new { topic = "Idempotency" }, options, Ct);
        var conflict = await Should.ThrowAsync<AgentryApiException>(() => _client.StartRunAsync(agent.Id, new { topic = "Another topic" }, options, Ct));

        second.Id.ShouldBe(first.Id);
        conflict.ErrorCode.ShouldBe("conflict");
    }

    [Fact]
    public async Task StartRun_WaitAndRevision_HoldsTheAnswerOnTheChosenRevision()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);
        await _client.UpdateAgentAsync(agent.Id, new AgentDefinition { GoalPrompt = "Study {{topic}}." }, Ct);

        var run = await _client.StartRunAsync(agent.Id, JsonDocument.Parse("""{"topic":"Revisions"}""").RootElement, new StartRunOptions { RevisionId = agent.LatestRevisionId, Wait = TimeSpan.FromSeconds(30) }, Ct);

        run.RevisionId.ShouldBe(agent.LatestRevisionId);
        run.Status.ShouldBe(RunStatus.Done);
    }

    [Fact]
    public async Task StartRunBatch_ManyInputs_StartsAllThatListsFilterAndCursorPagingFind()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);

        var runs = await _client.StartRunBatchAsync(agent.Id, Enumerable.Range(1, 5).Select(i => new { topic = $"Topic {i}" }), cancellationToken: Ct);

        runs.Count.ShouldBe(5);
        runs.Select(r => r.Input.GetProperty("topic").GetString()).ShouldBe(Enumerable.Range(1, 5).Select(i => $"Topic {i}"));
        foreach (var run in runs)
        {
            (await _client.WaitForRunAsync(run.Id, cancellationToken: Ct)).Status.ShouldBe(RunStatus.Done);
        }

        var walked = new List<Run>();
        await foreach (var run in _client.ListAllRunsAsync(new RunListQuery { AgentId = agent.Id, Limit = 2 }, Ct))
        {
            walked.Add(run);
        }

        walked.Select(r => r.Id).ShouldBe(runs.Select(r => r.Id).Reverse());
        var firstPage = await _client.ListRunsAsync(new RunListQuery { AgentId = agent.Id, Status = RunStatus.Done, Limit = 2 }, Ct);
        firstPage.Total.ShouldBe(5);
        firstPage.NextCursor.ShouldNotBeNull();
        (await _client.ListRunsAsync(new RunListQuery { AgentId = agent.Id, Status = RunStatus.Error }, Ct)).Items.ShouldBeEmpty();
        (await _client.ListRunsAsync(new RunListQuery { AgentId = agent.Id, CreatedBefore = DateTimeOffset.UtcNow.AddDays(-1) }, Ct)).Total.ShouldBe(0);
        (await _client.ListAgentRunsAsync(agent.Id, RunStatus.Done, limit: 10, cancellationToken: Ct)).Total.ShouldBe(5);
    }

    [Fact]
    public async Task StartRunBatch_OneInvalidInput_StartsNoneAndNamesItByIndex()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);

        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.StartRunBatchAsync(agent.Id, new[] { new { topic = "Valid" }, new { topic = "x" } }, cancellationToken: Ct));

        error.FieldErrors.ShouldContain(e => e.Path.StartsWith("/inputs/1"));
        (await _client.ListAgentRunsAsync(agent.Id, cancellationToken: Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task CancelRun_RunningRun_EndsCancelledAndASecondCancelConflicts()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Cancel me" }, cancellationToken: Ct);

        await _client.CancelRunAsync(run.Id, Ct);
        var ended = await _client.WaitForRunAsync(run.Id, cancellationToken: Ct);

        ended.Status.ShouldBe(RunStatus.Error);
        ended.Error!.Code.ShouldBe("cancelled");
        var conflict = await Should.ThrowAsync<AgentryApiException>(() => _client.CancelRunAsync(run.Id, Ct));
        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Rerun_FinishedRun_StartsANewRunWithTheSameInput()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);
        var run = await _client.RunAsync(agent.Id, new { topic = "Again" }, cancellationToken: Ct);

        var rerun = await _client.RerunAsync(run.Id, cancellationToken: Ct);

        rerun.Id.ShouldNotBe(run.Id);
        rerun.Input.GetRawText().ShouldBe(run.Input.GetRawText());
        rerun.RevisionId.ShouldBe(run.RevisionId);
    }

    [Fact]
    public async Task WaitForRun_TimeoutBeforeTheEnd_AnswersTheRunStillGoing()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Slow topic" }, cancellationToken: Ct);

        var waited = await _client.WaitForRunAsync(run.Id, TimeSpan.FromSeconds(1), Ct);

        waited.IsTerminal.ShouldBeFalse();
        await _client.CancelRunAsync(run.Id, Ct);
    }

    [Fact]
    public async Task WaitForRun_Cancelled_ThrowsOperationCanceled()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Slow(), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Slow topic" }, cancellationToken: Ct);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Should.ThrowAsync<OperationCanceledException>(() => _client.WaitForRunAsync(run.Id, cancellationToken: cancel.Token));
        await _client.CancelRunAsync(run.Id, Ct);
    }

    [Fact]
    public async Task ListEvents_FinishedRun_AnswersEventsInSeqOrderAndAfterFilters()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research(), Ct);
        var run = await _client.RunAsync(agent.Id, new { topic = "Events" }, cancellationToken: Ct);

        var events = await _client.ListEventsAsync(run.Id, limit: 100, cancellationToken: Ct);
        var later = await _client.ListEventsAsync(run.Id, afterSeq: 2, limit: 100, cancellationToken: Ct);

        events.Items.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, events.Items.Count));
        events.Items[0].Type.ShouldBe("status");
        events.Items.ShouldContain(e => e.Type == "result");
        later.Items[0].Seq.ShouldBe(3);
    }
}
