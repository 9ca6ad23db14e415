using System.Diagnostics;
using Agentry.Server.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Agentry.Server.Tests.Analytics;

/// <summary>OpenTelemetry through the real engine, collected with the in-memory exporter: a run's span tree and the metrics.</summary>
public sealed class TelemetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Run_WithToolCalls_IsOneTraceOfModelAndToolSpans_AndItsMetricsAreRecorded()
    {
        var spans = new List<Activity>();
        var metrics = new List<MetricSnapshot>();
        await using var server = AnalyticsServer.Start(
            new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero),
            services => services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
                .WithMetrics(meter => meter.AddInMemoryExporter(metrics)));
        var agentId = await server.Client.CreateAgentAsync(AnalyticsServer.Agent("Traced"));

        var run = (await server.RunBatchAsync(agentId, new
        {
            topic = "traced",
            durationMs = 2500,
            tokens = new[] { 40, 8 },
            calls = new object[] { new { tool = "codeInterpreter", ok = true }, new { tool = "codeInterpreter", ok = false }, new { tool = "ghost", ok = true } },
        }))[0];

        run.Status().ShouldBe("done");
        var traceId = run.GetProperty("traceId").GetString();
        traceId.ShouldNotBeNull();
        traceId.ShouldMatch("^[0-9a-f]{32}$");
        var trace = await WaitForRootAsync(spans, traceId);
        var root = trace.Single(static s => s.ParentSpanId == default);
        root.DisplayName.ShouldBe("invoke_agent Traced");
        root.GetTagItem("gen_ai.operation.name").ShouldBe("invoke_agent");
        root.GetTagItem("gen_ai.agent.id").ShouldBe(agentId);
        root.GetTagItem("gen_ai.agent.name").ShouldBe("Traced");
        root.GetTagItem("agentry.run.id").ShouldBe(run.Id());
        root.Status.ShouldBe(ActivityStatusCode.Unset);

        var children = trace.Where(s => s.ParentSpanId == root.SpanId).OrderBy(static s => s.StartTimeUtc).ToList();
        children.Count.ShouldBe(trace.Count - 1, "every other span of the trace hangs directly under the run's span");
        var chats = children.Where(static s => s.DisplayName.StartsWith("chat", StringComparison.Ordinal)).ToList();
        chats.Count.ShouldBe(run.GetProperty("usage").GetProperty("modelCalls").GetInt32(), string.Join(", ", trace.Select(static s => s.DisplayName + "/" + s.Source.Name)));
        chats.ShouldAllBe(static s => (string?)s.GetTagItem("gen_ai.operation.name") == "chat");
        var tools = children.Where(static s => s.DisplayName.StartsWith("execute_tool", StringComparison.Ordinal)).ToList();
        tools.Select(static s => s.DisplayName).ShouldBe(["execute_tool codeInterpreter", "execute_tool codeInterpreter", "execute_tool ghost"]);
        tools.Select(static s => s.Status).ShouldBe([ActivityStatusCode.Unset, ActivityStatusCode.Error, ActivityStatusCode.Error]);
        tools.ShouldAllBe(static s => (string?)s.GetTagItem("gen_ai.operation.name") == "execute_tool");
        tools.Select(static s => s.GetTagItem("gen_ai.tool.call.id")).ShouldBe(["call_0", "call_1", "call_2"]);
        (chats.Count + tools.Count).ShouldBe(children.Count);

        server.Factory.Services.GetRequiredService<MeterProvider>().ForceFlush().ShouldBeTrue();
        Sum(metrics, "agentry.runs.started", agentId).ShouldBe(1);
        Sum(metrics, "agentry.runs.finished", agentId, ("agentry.run.status", "done")).ShouldBe(1);
        Sum(metrics, "agentry.run.tokens", agentId, ("gen_ai.token.type", "input")).ShouldBe(40);
        Sum(metrics, "agentry.run.tokens", agentId, ("gen_ai.token.type", "output")).ShouldBe(8);
        SumDouble(metrics, "agentry.run.cost", agentId).ShouldBe(((40 * 2) + (8 * 10)) / 1_000_000.0, 1e-12);
        Histogram(metrics, "agentry.run.duration", agentId).ShouldBe((1, 2.5));
        Histogram(metrics, "agentry.run.queue_wait", agentId).ShouldBe((1, 0.0));
        metrics.Where(static m => m.Name == "agentry.events.written").SelectMany(static m => m.MetricPoints).Sum(static p => p.GetSumLong())
            .ShouldBeGreaterThanOrEqualTo((await server.Client.GetEventsAsync(run.Id())).Count);
        metrics.Select(static m => m.Name).ShouldContain("agentry.runs.active");
        metrics.Select(static m => m.Name).ShouldContain("agentry.queue.depth");
        metrics.Select(static m => m.Name).ShouldContain("agentry.stream.subscribers");
        metrics.Select(static m => m.Name).ShouldContain("gen_ai.client.token.usage");
    }

    // The run's span ends just after its last write, so it may reach the exporter a moment after the run reads as ended.
    private static async Task<List<Activity>> WaitForRootAsync(List<Activity> spans, string traceId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            List<Activity> trace;
            lock (spans)
            {
                trace = [.. spans.Where(s => s.TraceId.ToHexString() == traceId)];
            }

            if (trace.Any(static s => s.ParentSpanId == default))
            {
                return trace;
            }

            DateTime.UtcNow.ShouldBeLessThan(deadline, "the run's span was never exported");
            await Task.Delay(20, Ct);
        }
    }

    private static IEnumerable<MetricPoint> Points(List<MetricSnapshot> metrics, string name, string agentId, params (string Key, string Value)[] tags)
    {
        // The last export holds the cumulative values; other servers of the test run share the meter name, so filter by agent.
        var metric = metrics.Last(m => m.Name == name);
        foreach (var point in metric.MetricPoints)
        {
            var pointTags = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                pointTags[tag.Key] = tag.Value;
            }

            if ((string?)pointTags.GetValueOrDefault("gen_ai.agent.id") == agentId && tags.All(t => (string?)pointTags.GetValueOrDefault(t.Key) == t.Value))
            {
                yield return point;
            }
        }
    }

    private static long Sum(List<MetricSnapshot> metrics, string name, string agentId, params (string Key, string Value)[] tags) =>
        Points(metrics, name, agentId, tags).Sum(static p => p.GetSumLong());

    private static double SumDouble(List<MetricSnapshot> metrics, string name, string agentId) =>
        Points(metrics, name, agentId).Sum(static p => p.GetSumDouble());

    private static (long Count, double Sum) Histogram(List<MetricSnapshot> metrics, string name, string agentId)
    {
        var points = Points(metrics, name, agentId).ToList();
        return (points.Sum(static p => p.GetHistogramCount()), points.Sum(static p => p.GetHistogramSum()));
    }
}
