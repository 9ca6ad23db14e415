using System.Net;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Client.Tests;

/// <summary>Analytics and feedback on a server of their own, so the overview holds only these tests' runs, and with tracing on.</summary>
public sealed class AnalyticsTests : IAsyncLifetime
{
    private AgentryServerProcess _server = null!;
    private AgentryClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // Any OTLP endpoint turns tracing on (runs then carry a trace id); nothing listens there, and export failures are dropped.
        _server = await AgentryServerProcess.StartAsync(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        _client = _server.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Analytics_AfterOfflineRunsAndFeedback_CountRunsDurationsTokensAndFeedback()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Measured"), Ct);
        var runs = new List<Run>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await _client.RunAsync(agent.Id, new { topic = $"Measure {i}" }, cancellationToken: Ct));
        }

        await _client.SetRunFeedbackAsync(runs[0].Id, "accuracy", 1, cancellationToken: Ct);
        await _client.SetRunFeedbackAsync(runs[1].Id, "accuracy", 0.5, cancellationToken: Ct);

        var report = await _client.GetAgentAnalyticsAsync(agent.Id, new AnalyticsQuery { Bucket = "hour", TimeZone = "Europe/Berlin", From = DateTimeOffset.UtcNow.AddHours(-3) }, Ct);

        runs.ShouldAllBe(r => r.Status == RunStatus.Done);
        report.Bucket.ShouldBe("hour");
        report.TimeZone.ShouldBe("Europe/Berlin");
        report.Total.Runs.ShouldBe(3);
        report.Total.ByStatus.Done.ShouldBe(3);
        report.Total.SuccessRate.ShouldBe(1);
        report.Total.DurationMs.Count.ShouldBe(3);
        report.Total.DurationMs.P50.ShouldNotBeNull();
        report.Total.Tokens.Input.ShouldBe(runs.Sum(r => r.Usage.InputTokens));
        report.Total.Tokens.Output.ShouldBe(runs.Sum(r => r.Usage.OutputTokens));
        report.Total.Feedback["accuracy"].Count.ShouldBe(2);
        report.Total.Feedback["accuracy"].Mean.ShouldBe(0.75, 1e-9);
        report.Series.Sum(b => b.Runs).ShouldBe(3);
        report.Series.ShouldAllBe(b => b.End > b.Start);
        var overview = await _client.GetAnalyticsOverviewAsync(cancellationToken: Ct);
        overview.Total.Runs.ShouldBe(3);
        overview.Bucket.ShouldBe("day");
        var byModel = await _client.GetAgentAnalyticsAsync(agent.Id, new AnalyticsQuery { Model = "no-such-model" }, Ct);
        byModel.Total.Runs.ShouldBe(0);
        var revisions = await _client.CompareRevisionsAsync(agent.Id, cancellationToken: Ct);
        var revision = revisions.Items.ShouldHaveSingleItem();
        revision.RevisionId.ShouldBe(agent.LatestRevisionId);
        revision.Total.Runs.ShouldBe(3);
    }

    [Fact]
    public async Task GetAgentAnalytics_BadBucketAndUnknownAgent_ThrowTypedErrors()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Queried"), Ct);

        var bad = await Should.ThrowAsync<AgentryApiException>(() => _client.GetAgentAnalyticsAsync(agent.Id, new AnalyticsQuery { Bucket = "week" }, Ct));
        var unknown = await Should.ThrowAsync<AgentryApiException>(() => _client.GetAgentAnalyticsAsync("agt_unknown", cancellationToken: Ct));

        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        bad.FieldErrors.ShouldContain(e => e.Path == "bucket");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SetRunFeedback_CreateReplaceAndList_OneScorePerKeyAndTheRunHasATraceId()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Research("Judged"), Ct);
        var run = await _client.RunAsync(agent.Id, new { topic = "Feedback" }, cancellationToken: Ct);

        var first = await _client.SetRunFeedbackAsync(run.Id, "accuracy", 0.5, cancellationToken: Ct);
        var replaced = await _client.SetRunFeedbackAsync(run.Id, "accuracy", 0.9, "Checked twice", Ct);
        await _client.SetRunFeedbackAsync(run.Id, "clarity", 1, cancellationToken: Ct);
        var list = await _client.ListRunFeedbackAsync(run.Id, Ct);

        run.TraceId.ShouldNotBeNull();
        run.TraceId.ShouldMatch("^[0-9a-f]{32}$");
        first.RunId.ShouldBe(run.Id);
        replaced.Score.ShouldBe(0.9);
        replaced.Comment.ShouldBe("Checked twice");
        replaced.CreatedAt.ShouldBe(first.CreatedAt);
        list.Select(f => (f.Key, f.Score)).ShouldBe([("accuracy", 0.9), ("clarity", 1.0)]);
    }

    [Fact]
    public async Task SetRunFeedback_BadScoreRunningRunAndUnknownRun_ThrowTypedErrors()
    {
        var agent = await _client.CreateAgentAsync(TestAgents.Slow("Unfinished"), Ct);
        var run = await _client.StartRunAsync(agent.Id, new { topic = "Still going" }, cancellationToken: Ct);

        var invalid = await Should.ThrowAsync<AgentryApiException>(() => _client.SetRunFeedbackAsync(run.Id, "accuracy", 1.5, cancellationToken: Ct));
        var running = await Should.ThrowAsync<AgentryApiException>(() => _client.SetRunFeedbackAsync(run.Id, "accuracy", 1, cancellationToken: Ct));
        var unknown = await Should.ThrowAsync<AgentryApiException>(() => _client.ListRunFeedbackAsync("run_unknown", Ct));
        await _client.CancelRunAsync(run.Id, Ct);

        invalid.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        invalid.ErrorCode.ShouldBe("invalid_input");
        invalid.FieldErrors.ShouldHaveSingleItem().Path.ShouldBe("/score");
        running.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        running.ErrorCode.ShouldBe("conflict");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
