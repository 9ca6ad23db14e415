using System.Globalization;
using System.Text.Json;
using Agentry.Server.Tests.Runs;

namespace Agentry.Server.Tests.Analytics;

/// <summary>What a finished run contributes to analytics, read back from the runs API (the run and its events).</summary>
public sealed record RunFacts(
    string Id,
    string RevisionId,
    string Status,
    string? ErrorCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    IReadOnlyList<(string Name, bool Failed)> ToolCalls)
{
    /// <summary>Feedback scores by key, as the test posted them last.</summary>
    public Dictionary<string, double> Feedback { get; } = new(StringComparer.Ordinal);

    public static async Task<RunFacts> ReadAsync(HttpClient client, JsonElement run)
    {
        var events = await client.GetEventsAsync(run.Id());
        var tools = events
            .Where(static e => e.GetProperty("type").GetString() == "tool_call")
            .Select(static e => (e.GetProperty("data").GetProperty("name").GetString()!, e.GetProperty("data").TryGetProperty("error", out _)))
            .ToList();
        var usage = run.GetProperty("usage");
        return new RunFacts(
            run.Id(),
            run.GetProperty("revisionId").GetString()!,
            run.Status(),
            run.ErrorCode(),
            Time(run, "createdAt")!.Value,
            Time(run, "startedAt"),
            Time(run, "completedAt"),
            usage.GetProperty("inputTokens").GetInt64(),
            usage.GetProperty("outputTokens").GetInt64(),
            usage.GetProperty("costUsd").GetDecimal(),
            tools);
    }

    private static DateTimeOffset? Time(JsonElement run, string name) =>
        run.GetProperty(name).ValueKind == JsonValueKind.Null
            ? null
            : DateTimeOffset.Parse(run.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}

/// <summary>Checks every figure of an analytics answer against the runs it must cover, computed here independently.</summary>
public static class ExpectedFigures
{
    /// <summary>The relative error bound the API states; the test checks it is the one it checks against.</summary>
    public const double ErrorBound = 0.01;

    public static void ShouldMatch(this JsonElement figures, IReadOnlyCollection<RunFacts> runs, int pending = 0, int running = 0)
    {
        var finished = runs.Where(static r => r.Status is "done" or "error").ToList();
        finished.Count.ShouldBe(runs.Count, "the expected runs are finished runs; open runs are counted by status");
        figures.GetProperty("runs").GetInt64().ShouldBe(runs.Count + pending + running);
        var byStatus = figures.GetProperty("byStatus");
        byStatus.GetProperty("pending").GetInt64().ShouldBe(pending);
        byStatus.GetProperty("running").GetInt64().ShouldBe(running);
        var done = finished.Count(static r => r.Status == "done");
        byStatus.GetProperty("done").GetInt64().ShouldBe(done);
        byStatus.GetProperty("error").GetInt64().ShouldBe(finished.Count - done);

        var codes = figures.GetProperty("errorCodes").EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value.GetInt64());
        codes.ShouldBe(
            finished.Where(static r => r.Status == "error").GroupBy(static r => r.ErrorCode!).ToDictionary(static g => g.Key, static g => (long)g.Count()),
            ignoreOrder: true);

        var successRate = figures.GetProperty("successRate");
        if (finished.Count == 0)
        {
            successRate.ValueKind.ShouldBe(JsonValueKind.Null);
        }
        else
        {
            successRate.GetDouble().ShouldBe((double)done / finished.Count, 1e-12);
        }

        var started = finished.Where(static r => r.StartedAt is not null).ToList();
        ShouldMatchPercentiles(figures.GetProperty("durationMs"), [.. started.Select(static r => (r.CompletedAt!.Value - r.StartedAt!.Value).TotalMilliseconds)]);
        ShouldMatchPercentiles(figures.GetProperty("queueWaitMs"), [.. started.Select(static r => (r.StartedAt!.Value - r.CreatedAt).TotalMilliseconds)]);

        figures.GetProperty("tokens").GetProperty("input").GetInt64().ShouldBe(finished.Sum(static r => r.InputTokens));
        figures.GetProperty("tokens").GetProperty("output").GetInt64().ShouldBe(finished.Sum(static r => r.OutputTokens));
        var cost = finished.Sum(static r => r.CostUsd);
        figures.GetProperty("costUsd").GetDecimal().ShouldBe(cost);
        if (finished.Count == 0)
        {
            figures.GetProperty("costPerRunUsd").ValueKind.ShouldBe(JsonValueKind.Null);
        }
        else
        {
            figures.GetProperty("costPerRunUsd").GetDecimal().ShouldBe(cost / finished.Count);
        }

        var tools = figures.GetProperty("toolCalls").EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value);
        var expectedTools = finished.SelectMany(static r => r.ToolCalls).GroupBy(static c => c.Name).ToList();
        tools.Keys.ShouldBe(expectedTools.Select(static g => g.Key), ignoreOrder: true);
        foreach (var tool in expectedTools)
        {
            var calls = tool.Count();
            var errors = tool.Count(static c => c.Failed);
            tools[tool.Key].GetProperty("calls").GetInt64().ShouldBe(calls);
            tools[tool.Key].GetProperty("errors").GetInt64().ShouldBe(errors);
            tools[tool.Key].GetProperty("errorRate").GetDouble().ShouldBe((double)errors / calls, 1e-12);
        }

        var feedback = figures.GetProperty("feedback").EnumerateObject().ToDictionary(static p => p.Name, static p => p.Value);
        var expectedFeedback = finished.SelectMany(static r => r.Feedback).GroupBy(static f => f.Key).ToList();
        feedback.Keys.ShouldBe(expectedFeedback.Select(static g => g.Key), ignoreOrder: true);
        foreach (var key in expectedFeedback)
        {
            feedback[key.Key].GetProperty("count").GetInt64().ShouldBe(key.Count());
            feedback[key.Key].GetProperty("mean").GetDouble().ShouldBe(key.Average(static f => f.Value), 1e-12);
        }
    }

    /// <summary>Each percentile within the stated relative error of the exact nearest-rank value.</summary>
    private static void ShouldMatchPercentiles(JsonElement latency, List<double> values)
    {
        latency.GetProperty("errorBound").GetDouble().ShouldBe(ErrorBound);
        latency.GetProperty("count").GetInt64().ShouldBe(values.Count);
        values.Sort();
        foreach (var (name, q) in new[] { ("p50", 0.50), ("p95", 0.95), ("p99", 0.99) })
        {
            if (values.Count == 0)
            {
                latency.GetProperty(name).ValueKind.ShouldBe(JsonValueKind.Null);
                continue;
            }

            var rank = (int)Math.Max(1, Math.Ceiling(Math.Round(q * values.Count, 9)));
            var exact = values[rank - 1];
            var estimate = latency.GetProperty(name).GetDouble();
            Math.Abs(estimate - exact).ShouldBeLessThanOrEqualTo((ErrorBound * exact) + 1e-9, $"{name} of [{string.Join(", ", values)}] is {exact}");
        }
    }
}
