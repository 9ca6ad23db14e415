using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Agentry.Sqlite;

namespace Agentry.Bench.Engine;

/// <summary>What the end-to-end scenario measured.</summary>
internal sealed record EndToEndResult(
    SqliteSynchronous Synchronous,
    int Clients,
    int WorkerConcurrency,
    double Seconds,
    long Runs,
    long Failed,
    double RunsPerSecond,
    double EventsPerRun,
    double WritesPerRun,
    double CommitsPerRun,
    double WritesPerCommit,
    double ClaimsPerRun,
    double WriterBusyShare,
    double MillisecondsPerCommit,
    double CpuShare,
    double CpuMillisecondsPerRun,
    double MachineShare);

/// <summary>
/// Closed loop over HTTP: <see cref="Clients"/> clients each start a run (POST /v1/agents/{id}/runs), long-poll it until it ends
/// (GET /v1/runs/{id}?wait=30) and start the next. After the warm-up, runs that end inside a fixed window are counted.
/// </summary>
internal static class EndToEndScenario
{
    public const int Clients = 64;

    public static async Task<EndToEndResult> RunAsync(SqliteSynchronous synchronous, int workerConcurrency, EnginePlan plan, CancellationToken cancellationToken)
    {
        await using var server = await BenchServer.StartAsync(synchronous, workerConcurrency, cancellationToken);
        using var client = server.CreateClient(Clients * 2);
        var agentId = await BenchServer.CreateAgentAsync(client, cancellationToken);

        long done = 0;
        long failed = 0;
        var sampled = new ConcurrentQueue<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loops = Enumerable.Range(0, Clients)
            .Select(c => Task.Run(() => ClientLoopAsync(client, agentId, c, stop.Token), CancellationToken.None))
            .ToArray();

        await Task.Delay(plan.WarmUp, cancellationToken);
        var start = EngineSnapshot.Take(server.Writer);
        var claimsAtStart = server.Store.Claims;
        var applyAtStart = server.Store.ApplyTime;
        var doneAtStart = Interlocked.Read(ref done);
        var failedAtStart = Interlocked.Read(ref failed);
        await Task.Delay(plan.Window, cancellationToken);
        var end = EngineSnapshot.Take(server.Writer);
        var claims = server.Store.Claims - claimsAtStart;
        var applyTime = server.Store.ApplyTime - applyAtStart;
        var runs = Interlocked.Read(ref done) - doneAtStart;
        var failures = Interlocked.Read(ref failed) - failedAtStart;

        await stop.CancelAsync();
        await Task.WhenAll(loops);

        var eventsPerRun = await AverageEventsAsync(server, sampled, cancellationToken);
        var seconds = end.SecondsSince(start);
        var commits = end.Commits - start.Commits;
        var writes = end.Writes - start.Writes;
        return new EndToEndResult(
            synchronous,
            Clients,
            workerConcurrency,
            seconds,
            runs,
            failures,
            runs / seconds,
            eventsPerRun,
            runs == 0 ? 0 : (double)writes / runs,
            runs == 0 ? 0 : (double)commits / runs,
            commits == 0 ? 0 : (double)writes / commits,
            runs == 0 ? 0 : (double)claims / runs,
            applyTime.TotalSeconds / seconds,
            commits == 0 ? 0 : applyTime.TotalMilliseconds / commits,
            end.CpuShareSince(start),
            runs == 0 ? double.NaN : end.CpuSince(start).TotalMilliseconds / runs,
            end.MachineShareSince(start));

        async Task ClientLoopAsync(HttpClient http, string agent, int clientIndex, CancellationToken token)
        {
            var iteration = 0;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    var topic = string.Create(CultureInfo.InvariantCulture, $"{{\"topic\":\"engine benchmark {clientIndex}-{iteration++}\"}}");
                    using var body = new StringContent(topic, Encoding.UTF8, "application/json");
                    using var created = await http.PostAsync(new Uri($"/v1/agents/{agent}/runs", UriKind.Relative), body, token);
                    if (created.StatusCode != HttpStatusCode.Created)
                    {
                        Interlocked.Increment(ref failed);
                        continue;
                    }

                    var runId = await ReadAsync(created, static r => r.GetProperty("id").GetString()!, token);
                    using var waited = await http.GetAsync(new Uri($"/v1/runs/{runId}?wait=30", UriKind.Relative), token);
                    var status = waited.IsSuccessStatusCode ? await ReadAsync(waited, static r => r.GetProperty("status").GetString(), token) : null;
                    if (status == "done")
                    {
                        Interlocked.Increment(ref done);
                        if (iteration % 16 == 1)
                        {
                            sampled.Enqueue(runId);
                        }
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The window is over.
            }
        }
    }

    internal static async Task<T> ReadAsync<T>(HttpResponseMessage response, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var json = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        return read(json.RootElement);
    }

    /// <summary>The mean number of events (the last seq) of up to 200 of the runs that completed, read from the store.</summary>
    private static async Task<double> AverageEventsAsync(BenchServer server, ConcurrentQueue<string> sampled, CancellationToken cancellationToken)
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
}
