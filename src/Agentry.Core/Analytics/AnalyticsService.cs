using Agentry.Core.Common;
using Agentry.Core.Runs;
using Agentry.Core.Storage;

namespace Agentry.Core.Analytics;

/// <summary>
/// Answers the analytics API from the rollups (<see cref="IAnalyticsStore"/>): an agent's figures (optionally one
/// revision's or one model's), the organization's overview, and an agent's revisions side by side. Another
/// organization's agent answers 404, exactly as if it did not exist.
/// </summary>
public sealed class AnalyticsService(IAnalyticsStore store, IAgentStore agents, TimeProvider time)
{
    /// <summary>The figures of one agent's runs, in total and per bucket, filtered by revision and model when given.</summary>
    public async Task<AnalyticsReport> GetAgentReportAsync(
        string organizationId, string agentId, AnalyticsParameters parameters, string? revisionId, string? model, CancellationToken cancellationToken)
    {
        var range = AnalyticsRange.Parse(parameters, time.GetUtcNow());
        _ = await agents.GetAsync(organizationId, agentId, cancellationToken) ?? throw ProblemException.NotFound($"Agent {agentId}");
        if (!string.IsNullOrEmpty(revisionId))
        {
            _ = await agents.GetRevisionAsync(organizationId, agentId, revisionId, cancellationToken)
                ?? throw ProblemException.NotFound($"Revision {revisionId} of agent {agentId}");
        }

        var scope = new AnalyticsScope(organizationId, agentId, NullIfEmpty(revisionId), NullIfEmpty(model), range.From, range.To);
        return Report(range, await store.ReadAsync(scope, cancellationToken));
    }

    /// <summary>The figures of every run of the organization, in total and per bucket.</summary>
    public async Task<AnalyticsReport> GetOverviewAsync(string organizationId, AnalyticsParameters parameters, CancellationToken cancellationToken)
    {
        var range = AnalyticsRange.Parse(parameters, time.GetUtcNow());
        var scope = new AnalyticsScope(organizationId, AgentId: null, RevisionId: null, Model: null, range.From, range.To);
        return Report(range, await store.ReadAsync(scope, cancellationToken));
    }

    /// <summary>Every revision of the agent, newest first, each with the total figures of its runs in the range.</summary>
    public async Task<RevisionComparison> CompareRevisionsAsync(string organizationId, string agentId, AnalyticsParameters parameters, CancellationToken cancellationToken)
    {
        var range = AnalyticsRange.Parse(parameters with { Bucket = null }, time.GetUtcNow());
        var agent = await agents.GetAsync(organizationId, agentId, cancellationToken) ?? throw ProblemException.NotFound($"Agent {agentId}");
        var revisions = new List<Agents.AgentRevision>();
        while (true)
        {
            var page = await agents.ListRevisionsAsync(organizationId, agentId, new PageRequest(100, revisions.Count), cancellationToken);
            revisions.AddRange(page.Items);
            if (page.Items.Count < 100)
            {
                break;
            }
        }

        var snapshot = await store.ReadAsync(new AnalyticsScope(organizationId, agentId, null, null, range.From, range.To), cancellationToken);
        var byRevision = revisions.ToDictionary(static r => r.Id, static _ => new FiguresBuilder(), StringComparer.Ordinal);
        foreach (var row in snapshot.Cells)
        {
            byRevision.GetValueOrDefault(row.RevisionId)?.Add(row.Cell);
        }

        foreach (var run in snapshot.OpenRuns)
        {
            byRevision.GetValueOrDefault(run.RevisionId)?.Add(run.Status);
        }

        return new RevisionComparison(
            range.From,
            range.To,
            [.. revisions.Select(r => new RevisionFigures(
                r.Id,
                r.CreatedAt,
                string.Equals(r.Id, agent.PublishedRevisionId, StringComparison.Ordinal),
                byRevision[r.Id].Build()))]);
    }

    private static AnalyticsReport Report(AnalyticsRange range, AnalyticsSnapshot snapshot)
    {
        var total = new FiguresBuilder();
        var buckets = new FiguresBuilder[range.Boundaries.Count - 1];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new FiguresBuilder();
        }

        foreach (var row in snapshot.Cells)
        {
            buckets[range.BucketIndexOf(row.Slot)].Add(row.Cell);
        }

        foreach (var run in snapshot.OpenRuns)
        {
            buckets[range.BucketIndexOf(run.CreatedAt)].Add(run.Status);
        }

        // The total merges the buckets (at most 1,000) rather than every cell a second time.
        foreach (var bucket in buckets)
        {
            total.Add(bucket);
        }

        var series = new List<AnalyticsSeriesBucket>(buckets.Length);
        for (var i = 0; i < buckets.Length; i++)
        {
            var figures = buckets[i].Build();
            series.Add(new AnalyticsSeriesBucket
            {
                Start = range.Boundaries[i],
                End = range.Boundaries[i + 1],
                Runs = figures.Runs,
                ByStatus = figures.ByStatus,
                ErrorCodes = figures.ErrorCodes,
                SuccessRate = figures.SuccessRate,
                DurationMs = figures.DurationMs,
                QueueWaitMs = figures.QueueWaitMs,
                Tokens = figures.Tokens,
                CostUsd = figures.CostUsd,
                CostPerRunUsd = figures.CostPerRunUsd,
                ToolCalls = figures.ToolCalls,
                Feedback = figures.Feedback,
            });
        }

        return new AnalyticsReport(range.From, range.To, range.BucketName, range.TimeZone.Id, total.Build(), series);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>Sums cells and open runs into <see cref="AnalyticsFigures"/>.</summary>
    private sealed class FiguresBuilder
    {
        private readonly RollupCell _cell = new();
        private long _pending;
        private long _running;

        public void Add(ReadOnlyMemory<byte> cell) => _cell.MergeEncoded(cell.Span);

        public void Add(FiguresBuilder other)
        {
            _cell.Merge(other._cell);
            _pending += other._pending;
            _running += other._running;
        }

        public void Add(RunStatus status)
        {
            if (status == RunStatus.Pending)
            {
                _pending++;
            }
            else
            {
                _running++;
            }
        }

        public AnalyticsFigures Build()
        {
            var finished = _cell.Done + _cell.Error;
            return new AnalyticsFigures
            {
                Runs = finished + _pending + _running,
                ByStatus = new RunsByStatus(_pending, _running, _cell.Done, _cell.Error),
                ErrorCodes = new SortedDictionary<string, long>(_cell.ErrorCodes, StringComparer.Ordinal),
                SuccessRate = finished == 0 ? null : (double)_cell.Done / finished,
                DurationMs = Latency(_cell.Duration),
                QueueWaitMs = Latency(_cell.QueueWait),
                Tokens = new TokenFigures(_cell.InputTokens, _cell.OutputTokens),
                CostUsd = _cell.CostUsd,
                CostPerRunUsd = finished == 0 ? null : _cell.CostUsd / finished,
                ToolCalls = new SortedDictionary<string, ToolFigures>(
                    _cell.ToolCalls.ToDictionary(
                        static t => t.Key,
                        static t => new ToolFigures(t.Value.Calls, t.Value.Errors, t.Value.Calls == 0 ? 0 : (double)t.Value.Errors / t.Value.Calls),
                        StringComparer.Ordinal),
                    StringComparer.Ordinal),
                Feedback = new SortedDictionary<string, FeedbackFigures>(
                    _cell.Feedback.Where(static f => f.Value.Count > 0).ToDictionary(
                        static f => f.Key,
                        static f => new FeedbackFigures(f.Value.Count, f.Value.Sum / f.Value.Count),
                        StringComparer.Ordinal),
                    StringComparer.Ordinal),
            };
        }

        private static LatencyFigures Latency(LatencyHistogram histogram) =>
            new(histogram.Count, histogram.Quantile(0.50), histogram.Quantile(0.95), histogram.Quantile(0.99), LatencyHistogram.RelativeError);
    }
}
