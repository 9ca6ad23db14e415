using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Agentry.Bench.Engine;

namespace Agentry.Bench.Runtime;

/// <summary>The managed heap and the process at one instant, just after a full blocking, compacting collection.</summary>
internal readonly record struct MemorySnapshot(long TotalMemory, long HeapSize, long WorkingSet, long Gen0, long Gen1, long Gen2, long Loh, long Poh)
{
    public static MemorySnapshot Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var total = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var process = Process.GetCurrentProcess();
        var generations = info.GenerationInfo;
        return new MemorySnapshot(
            total,
            info.HeapSizeBytes,
            process.WorkingSet64,
            generations[0].SizeAfterBytes,
            generations[1].SizeAfterBytes,
            generations[2].SizeAfterBytes,
            generations[3].SizeAfterBytes,
            generations[4].SizeAfterBytes);
    }
}

/// <summary>What the in-flight memory scenario measured.</summary>
internal sealed record MemoryResult(
    int Target,
    int InFlight,
    int Failed,
    double SecondsToAllRunning,
    double SecondsToStop,
    MemorySnapshot Before,
    MemorySnapshot After)
{
    public double PerRun(Func<MemorySnapshot, long> figure) => InFlight == 0 ? double.NaN : (double)(figure(After) - figure(Before)) / InFlight;
}

/// <summary>
/// <see cref="Target"/> runs in flight at once on <c>bench/slow</c>, each waiting in the model call that follows its five
/// <c>echo</c> calls (<see cref="RuntimeServer.SlowDelay"/>, cancellable), so it holds its transcript with the calls, with <c>Workers:Concurrency</c> = <see cref="Target"/>. The heap
/// is measured after a warm-up (so JIT and caches are paid for) and again once every run executes; the difference divided
/// by the runs in flight is the memory one run holds while it waits. The server is then disposed: the dispatcher drains
/// for its grace period (5 s), then stops the runs, which give their leases back.
/// </summary>
internal static class MemoryScenario
{
    public const int Target = 2_000;

    private const int Creators = 64;

    public static async Task<MemoryResult> RunAsync(EnginePlan plan, CancellationToken cancellationToken)
    {
        var server = await RuntimeServer.StartAsync(Target, cancellationToken);
        MemoryResult? result = null;
        var stopwatch = new Stopwatch();
        try
        {
            using var client = server.CreateClient(Creators);
            var warmAgent = await RuntimeServer.CreateAgentAsync(client, RuntimeServer.ZeroStackId, cancellationToken);
            var slowAgent = await RuntimeServer.CreateAgentAsync(client, RuntimeServer.SlowStackId, cancellationToken);

            // Warm-up: every path a run takes (create, claim, the loop, the writer) is JIT-compiled and pooled before the baseline.
            var counters = new OverheadScenario.Counters();
            using (var warm = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var loops = Enumerable.Range(0, Creators)
                    .Select(c => Task.Run(() => OverheadScenario.ClientLoopAsync(client, warmAgent, c, counters, null, warm.Token), CancellationToken.None))
                    .ToArray();
                await Task.Delay(plan.WarmUp, cancellationToken);
                await warm.CancelAsync();
                await Task.WhenAll(loops);
            }

            await WaitAsync(() => server.Active.Count == 0, TimeSpan.FromSeconds(30), cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var before = MemorySnapshot.Take();

            var started = Stopwatch.StartNew();
            var failed = 0;
            var next = -1;
            var creators = Enumerable.Range(0, Creators).Select(_ => Task.Run(
                async () =>
                {
                    while (Interlocked.Increment(ref next) < Target)
                    {
                        var input = string.Create(CultureInfo.InvariantCulture, $"{{\"topic\":\"in-flight memory {next}\"}}");
                        using var body = new StringContent(input, Encoding.UTF8, "application/json");
                        using var created = await client.PostAsync(new Uri($"/v1/agents/{slowAgent}/runs", UriKind.Relative), body, cancellationToken);
                        if (created.StatusCode != HttpStatusCode.Created)
                        {
                            Interlocked.Increment(ref failed);
                        }
                    }
                },
                cancellationToken)).ToArray();
            await Task.WhenAll(creators);
            await WaitAsync(() => server.Active.Count >= Target - failed, TimeSpan.FromSeconds(40), cancellationToken);
            await WaitAsync(() => BenchChatClient.Waiting >= Target - failed, TimeSpan.FromSeconds(40), cancellationToken);
            var toRunning = started.Elapsed.TotalSeconds;

            // Let the writer flush what the starts queued (run started, planning model_call) before measuring.
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            var inFlight = server.Active.Count;
            var after = MemorySnapshot.Take();
            result = new MemoryResult(Target, inFlight, failed, toRunning, double.NaN, before, after);
        }
        finally
        {
            stopwatch.Start();
            await server.DisposeAsync();
            stopwatch.Stop();
        }

        return result with { SecondsToStop = stopwatch.Elapsed.TotalSeconds };
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > limit)
            {
                throw new TimeoutException($"The condition was not met within {limit}.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
