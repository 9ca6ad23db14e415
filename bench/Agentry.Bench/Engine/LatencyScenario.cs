using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Agentry.Sqlite;

namespace Agentry.Bench.Engine;

/// <summary>What the latency scenario measured; times in milliseconds.</summary>
internal sealed record LatencyResult(
    SqliteSynchronous Synchronous,
    int WorkerConcurrency,
    double TargetRate,
    double AchievedRate,
    int Measured,
    int Failed,
    double ServerP50,
    double ServerP99,
    double ServerMax,
    double CreateP50,
    double CreateP99,
    double DoneP50,
    double DoneP99,
    double CpuShare,
    double MachineShare);

/// <summary>
/// Open loop: starts runs over HTTP at fixed intervals (<see cref="Rate"/> per second, whatever the server's pace), then
/// long-polls each until it ends. The server-side latency is <c>startedAt − createdAt</c> of the stored run (both stamped
/// by the server, in milliseconds); the client side times the POST (create round trip) and create → done.
/// Runs started during the first second are left out (warm-up).
/// </summary>
internal static class LatencyScenario
{
    public const double Rate = 100;

    public static async Task<LatencyResult> RunAsync(SqliteSynchronous synchronous, int workerConcurrency, EnginePlan plan, CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(synchronous, workerConcurrency, cancellationToken);
        using var client = server.CreateClient(512);
        var agentId = await BenchServer.CreateAgentAsync(client, cancellationToken);

        var samples = new ConcurrentBag<(double Server, double Create, double Done)>();
        var failed = 0;
        var total = (int)(Rate * plan.LatencyDuration.TotalSeconds);
        var warmUp = (int)Rate;
        var interval = TimeSpan.FromSeconds(1 / Rate);
        var inFlight = new List<Task>(total);
        var start = EngineSnapshot.Take(server.Writer);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            var index = i;
            inFlight.Add(Task.Run(() => OneRunAsync(index), CancellationToken.None));
        }

        var sent = clock.Elapsed;
        await Task.WhenAll(inFlight);
        var end = EngineSnapshot.Take(server.Writer);

        var serverLatency = Sorted(samples.Select(static s => s.Server));
        var create = Sorted(samples.Select(static s => s.Create));
        var done = Sorted(samples.Select(static s => s.Done));
        return new LatencyResult(
            synchronous,
            workerConcurrency,
            Rate,
            total / sent.TotalSeconds,
            serverLatency.Count,
            failed,
            Percentiles.Of(serverLatency, 50),
            Percentiles.Of(serverLatency, 99),
            serverLatency.Count == 0 ? double.NaN : serverLatency[^1],
            Percentiles.Of(create, 50),
            Percentiles.Of(create, 99),
            Percentiles.Of(done, 50),
            Percentiles.Of(done, 99),
            end.CpuShareSince(start),
            end.MachineShareSince(start));

        async Task OneRunAsync(int index)
        {
            try
            {
                var began = Stopwatch.GetTimestamp();
                var topic = string.Create(CultureInfo.InvariantCulture, $"{{\"topic\":\"latency benchmark {index}\"}}");
                using var body = new StringContent(topic, Encoding.UTF8, "application/json");
                using var created = await client.PostAsync(new Uri($"/v1/agents/{agentId}/runs", UriKind.Relative), body, cancellationToken);
                var createdMs = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                if (created.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                var runId = await EndToEndScenario.ReadAsync(created, static r => r.GetProperty("id").GetString()!, cancellationToken);
                using var waited = await client.GetAsync(new Uri($"/v1/runs/{runId}?wait=30", UriKind.Relative), cancellationToken);
                var doneMs = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
                var times = await EndToEndScenario.ReadAsync(
                    waited,
                    static r => (Status: r.GetProperty("status").GetString(), Created: r.GetProperty("createdAt").GetDateTimeOffset(), Started: r.GetProperty("startedAt").GetDateTimeOffset()),
                    cancellationToken);
                if (times.Status != "done")
                {
                    Interlocked.Increment(ref failed);
                    return;
                }

                if (index >= warmUp)
                {
                    samples.Add(((times.Started - times.Created).TotalMilliseconds, createdMs, doneMs));
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref failed);
            }
        }
    }

    private static List<double> Sorted(IEnumerable<double> values)
    {
        var list = values.ToList();
        list.Sort();
        return list;
    }
}
