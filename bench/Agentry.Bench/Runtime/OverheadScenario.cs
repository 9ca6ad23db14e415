using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Agentry.Bench.Engine;

namespace Agentry.Bench.Runtime;

/// <summary>What the overhead scenario measured for one model stack.</summary>
internal sealed record OverheadResult(
    string StackId,
    string Description,
    double Seconds,
    long Runs,
    long Failed,
    double RunsPerSecond,
    double EventsPerRun,
    double CpuMillisecondsPerRun,
    double CpuShare,
    double MachineShare);

/// <summary>
/// The engine's end-to-end closed loop (<see cref="EndToEndScenario"/>) against an agent on one stack: <see cref="Clients"/>
/// HTTP clients each start a run, long-poll it to its end and start the next; runs ending inside the window are counted.
/// </summary>
internal static class OverheadScenario
{
    public const int Clients = 64;

    public static async Task<OverheadResult> RunAsync(string stackId, string description, EnginePlan plan, CancellationToken cancellationToken)
    {
        await using var server = await RuntimeServer.StartAsync(Clients, cancellationToken);
        using var client = server.CreateClient(Clients * 2);
        var agentId = await RuntimeServer.CreateAgentAsync(client, stackId, cancellationToken);

        var counters = new Counters();
        var sampled = new ConcurrentQueue<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, Clients)
            .Select(c => Task.Run(() => ClientLoopAsync(client, agentId, c, counters, sampled, stop.Token), CancellationToken.None))
            .ToArray();

        await Task.Delay(plan.WarmUp, cancellationToken);
        var start = EngineSnapshot.Take(server.Writer);
        var doneAtStart = Interlocked.Read(ref counters.Done);
        var failedAtStart = Interlocked.Read(ref counters.Failed);
        await Task.Delay(plan.Window, cancellationToken);
        var end = EngineSnapshot.Take(server.Writer);
        var runs = Interlocked.Read(ref counters.Done) - doneAtStart;
        var failures = Interlocked.Read(ref counters.Failed) - failedAtStart;

        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var eventsPerRun = await AverageEventsAsync(server, sampled, cancellationToken);
        var seconds = end.SecondsSince(start);
        return new OverheadResult(
            stackId,
            description,
            seconds,
            runs,
            failures,
            runs / seconds,
            eventsPerRun,
            runs == 0 ? double.NaN : end.CpuSince(start).TotalMilliseconds / runs,
            end.CpuShareSince(start),
            end.MachineShareSince(start));
    }

    /// <summary>Starts runs of <paramref name="agentId"/> one after another until <paramref name="token"/> is cancelled.</summary>
    internal static async Task ClientLoopAsync(HttpClient http, string agentId, int clientIndex, Counters counters, ConcurrentQueue<string>? sampled, CancellationToken token)
    {
        var iteration = 0;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var topic = string.Create(CultureInfo.InvariantCulture, $"{{\"topic\":\"runtime benchmark {clientIndex}-{iteration++}\"}}");
                using var body = new StringContent(topic, Encoding.UTF8, "application/json");
                using var created = await http.PostAsync(new Uri($"/v1/agents/{agentId}/runs", UriKind.Relative), body, token);
                if (created.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref counters.Failed);
                    continue;
                }

                var runId = await EndToEndScenario.ReadAsync(created, static r => r.GetProperty("id").GetString()!, token);
                using var waited = await http.GetAsync(new Uri($"/v1/runs/{runId}?wait=30", UriKind.Relative), token);
                var status = waited.IsSuccessStatusCode ? await EndToEndScenario.ReadAsync(waited, static r => r.GetProperty("status").GetString(), token) : null;
                if (status == "done")
                {
                    Interlocked.Increment(ref counters.Done);
                    if (iteration % 16 == 1)
                    {
                        sampled?.Enqueue(runId);
                    }
                }
                else
                {
                    Interlocked.Increment(ref counters.Failed);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The window is over.
        }
    }

    /// <summary>The mean number of events (the last seq) of up to 200 of the runs that completed, read from the store.</summary>
    private static async Task<double> AverageEventsAsync(RuntimeServer server, ConcurrentQueue<string> sampled, CancellationToken cancellationToken)
    {
        var total = 0L;
        var count = 0;
        foreach (var runId in sampled.Take(200))
        {
            var run = await server.Runs.GetForEngineAsync(runId, cancellationToken);
            if (run is not null)
            {
                total += run.LastSeq;
                count++;
            }
        }

        return count == 0 ? double.NaN : (double)total / count;
    }

    /// <summary>Runs done and failed, shared by the client loops.</summary>
    internal sealed class Counters
    {
#pragma warning disable SA1401 // Fields updated with Interlocked.
        public long Done;
        public long Failed;
#pragma warning restore SA1401
    }
}
