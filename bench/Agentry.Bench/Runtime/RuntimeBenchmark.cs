using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Agentry.Bench.Engine;
using Agentry.Core.Models;

namespace Agentry.Bench.Runtime;

/// <summary>
/// <c>runtime [--quick] [--only overhead|memory]</c>: the agent runtime's own overhead and memory, over the real server in
/// this process with the bench-only model provider <c>bench</c> (<see cref="BenchChatClient"/>) and the <c>echo</c> tool,
/// printed as the Markdown tables of docs/benchmarks.md. Only 127.0.0.1 is used; the whole run stops by itself (about
/// 2 minutes, under a minute with <c>--quick</c>) and is cut off after <see cref="HardLimit"/> in any case.
/// </summary>
internal static class RuntimeBenchmark
{
    private const double TargetBytesPerRun = 200 * 1024;

    private static TimeSpan HardLimit(EnginePlan plan) => plan.Quick ? TimeSpan.FromSeconds(75) : TimeSpan.FromMinutes(3);

    public static async Task<int> RunAsync(string[] args)
    {
        var plan = args.Contains("--quick", StringComparer.Ordinal) ? EnginePlan.Short : EnginePlan.Full;
        var only = Array.IndexOf(args, "--only") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        using var limit = new CancellationTokenSource(HardLimit(plan));
        var token = limit.Token;
        var report = new StringBuilder();
        Console.WriteLine($"Runtime benchmarks ({(plan.Quick ? "quick" : "full")}), {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}, server GC {System.Runtime.GCSettings.IsServerGC}.");

        try
        {
            if (only is null or "overhead")
            {
                var results = new List<OverheadResult>();
                Console.WriteLine($"Overhead, {ModelStackRegistry.OfflineStackId} …");
                results.Add(await OverheadScenario.RunAsync(ModelStackRegistry.OfflineStackId, "offline model, no tools", plan, token));
                Console.WriteLine($"Overhead, {RuntimeServer.ZeroStackId} …");
                results.Add(await OverheadScenario.RunAsync(RuntimeServer.ZeroStackId, $"zero-latency fake, {BenchChatClient.ToolCallsPerTurn} echo calls", plan, token));
                AppendOverhead(report, results);
            }

            if (only is null or "memory")
            {
                Console.WriteLine($"Memory, {MemoryScenario.Target:N0} runs in flight on {RuntimeServer.SlowStackId} …");
                AppendMemory(report, await MemoryScenario.RunAsync(plan, token));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Console.Error.WriteLine($"The runtime benchmarks ran past their limit of {HardLimit(plan)} and were stopped.");
            Console.WriteLine(report);
            return 2;
        }

        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }

    private static void AppendOverhead(StringBuilder report, List<OverheadResult> results)
    {
        var first = results[0];
        report.AppendLine(CultureInfo.InvariantCulture, $"### Runtime overhead ({OverheadScenario.Clients} HTTP clients, Workers:Concurrency {OverheadScenario.Clients}, {first.Seconds:0} s window, synchronous=NORMAL)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| | {string.Join(" | ", results.Select(static r => $"`{r.StackId}` ({r.Description})"))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(results.Select(static _ => "---:|"))}");
        Row(report, "runs/s", results.Select(static r => Format(r.RunsPerSecond, "N0")));
        Row(report, "runs completed in the window", results.Select(static r => Format(r.Runs, "N0")));
        Row(report, "failed runs or requests", results.Select(static r => Format(r.Failed, "N0")));
        Row(report, "events per run", results.Select(static r => Format(r.EventsPerRun, "0.0")));
        Row(report, "CPU per run, server + clients (ms)", results.Select(static r => Format(r.CpuMillisecondsPerRun, "0.00")));
        Row(report, "CPU busy: this process / whole machine", results.Select(static r => $"{Format(r.CpuShare, "P0")} / {Format(r.MachineShare, "P0")}"));
        report.AppendLine();
        if (results.Count == 2)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"Tool loop vs offline: {results[1].RunsPerSecond / results[0].RunsPerSecond:0.00}× the runs/s, {results[1].CpuMillisecondsPerRun / results[0].CpuMillisecondsPerRun:0.00}× the CPU per run, {results[1].EventsPerRun - results[0].EventsPerRun:+0.0;-0.0} events per run.");
            report.AppendLine();
        }
    }

    private static void AppendMemory(StringBuilder report, MemoryResult result)
    {
        const double KiB = 1024;
        const double MiB = 1024 * 1024;
        report.AppendLine(CultureInfo.InvariantCulture, $"### Memory per in-flight run ({result.Target:N0} runs waiting on `{RuntimeServer.SlowStackId}` after their five tool calls, Workers:Concurrency {result.Target:N0})");
        report.AppendLine();
        report.AppendLine("| | before (idle, warmed up) | all runs in flight | per in-flight run |");
        report.AppendLine("|---|---:|---:|---:|");
        MemoryRow("managed heap, GC.GetTotalMemory(true)", static s => s.TotalMemory);
        MemoryRow("GC heap size (GCMemoryInfo.HeapSizeBytes)", static s => s.HeapSize);
        MemoryRow("  of which gen2", static s => s.Gen2);
        MemoryRow("  of which large object heap", static s => s.Loh);
        MemoryRow("  of which gen0 + gen1 + pinned", static s => s.Gen0 + s.Gen1 + s.Poh);
        MemoryRow("process working set", static s => s.WorkingSet);
        report.AppendLine();
        var perRun = result.PerRun(static s => s.TotalMemory);
        report.AppendLine(CultureInfo.InvariantCulture, $"Runs in flight when measured: {result.InFlight:N0} of {result.Target:N0} ({result.Failed:N0} failed to start); all running {result.SecondsToAllRunning:0.0} s after the first create; server stopped (5 s grace, then the runs are stopped and give their leases back) in {result.SecondsToStop:0.0} s.");
        report.AppendLine(CultureInfo.InvariantCulture, $"Target < 200 KB per in-flight run (managed heap): {(perRun < TargetBytesPerRun ? "met" : "NOT met")} ({perRun / KiB:0.0} KB).");
        report.AppendLine();

        void MemoryRow(string name, Func<MemorySnapshot, long> figure) =>
            Row(report, name, [Format(figure(result.Before) / MiB, "0.0") + " MB", Format(figure(result.After) / MiB, "0.0") + " MB", Format(result.PerRun(figure) / KiB, "0.0") + " KB"]);
    }

    private static void Row(StringBuilder report, string name, IEnumerable<string> values) =>
        report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", values)} |");

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Format(long value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
