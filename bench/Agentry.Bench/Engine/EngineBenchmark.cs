using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Agentry.Sqlite;

namespace Agentry.Bench.Engine;

/// <summary>
/// <c>engine [--quick] [--concurrency N] [--only e2e|writer|latency]</c>: the run engine's system throughput figures, each
/// scenario on a fresh temporary data directory with SQLite <c>synchronous=NORMAL</c> and again with <c>FULL</c>, printed as
/// the Markdown tables of docs/benchmarks.md. Plain stopwatch windows, not BenchmarkDotNet: these are figures of the whole
/// system under load, not of one method. Only 127.0.0.1 is used; the whole run stops by itself (about 3 minutes, under a
/// minute with <c>--quick</c>) and is cut off after <see cref="HardLimit"/> in any case.
/// </summary>
internal static class EngineBenchmark
{
    /// <summary>Workers per node used by the HTTP scenarios unless <c>--concurrency</c> says otherwise.</summary>
    public const int DefaultWorkerConcurrency = 64;

    private static readonly SqliteSynchronous[] Modes = [SqliteSynchronous.Normal, SqliteSynchronous.Full];

    private static TimeSpan HardLimit(EnginePlan plan) => plan.Quick ? TimeSpan.FromSeconds(90) : TimeSpan.FromMinutes(6);

    public static async Task<int> RunAsync(string[] args)
    {
        var plan = args.Contains("--quick", StringComparer.Ordinal) ? EnginePlan.Short : EnginePlan.Full;
        var concurrency = IntOption(args, "--concurrency") ?? DefaultWorkerConcurrency;
        var only = StringOption(args, "--only");
        using var limit = new CancellationTokenSource(HardLimit(plan));
        var token = limit.Token;
        var report = new StringBuilder();
        Console.WriteLine($"Engine benchmarks ({(plan.Quick ? "quick" : "full")}), worker concurrency {concurrency}, {Environment.ProcessorCount} cores, {RuntimeInformation.FrameworkDescription}.");

        try
        {
            if (only is null or "e2e")
            {
                var results = new List<EndToEndResult>();
                foreach (var mode in Modes)
                {
                    Console.WriteLine($"End to end, synchronous={mode} …");
                    results.Add(await EndToEndScenario.RunAsync(mode, concurrency, plan, token));
                }

                AppendEndToEnd(report, results);
            }

            if (only is null or "writer")
            {
                var results = new List<WriterResult>();
                foreach (var mix in Enum.GetValues<WriterMix>())
                {
                    foreach (var mode in Modes)
                    {
                        Console.WriteLine($"Event writer ({mix}), synchronous={mode} …");
                        results.Add(await WriterScenario.RunAsync(mode, mix, plan, token));
                    }
                }

                AppendWriter(report, results);
            }

            if (only is null or "latency")
            {
                var results = new List<LatencyResult>();
                foreach (var mode in Modes)
                {
                    Console.WriteLine($"Create → running latency at {LatencyScenario.Rate:0} runs/s, synchronous={mode} …");
                    results.Add(await LatencyScenario.RunAsync(mode, concurrency, plan, token));
                }

                AppendLatency(report, results);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Console.Error.WriteLine($"The engine benchmarks ran past their limit of {HardLimit(plan)} and were stopped.");
            Console.WriteLine(report);
            return 2;
        }

        Console.WriteLine();
        Console.WriteLine(report);
        return 0;
    }

    private static void AppendEndToEnd(StringBuilder report, List<EndToEndResult> results)
    {
        var first = results[0];
        report.AppendLine(CultureInfo.InvariantCulture, $"### End-to-end runs per second ({first.Clients} HTTP clients, Workers:Concurrency {first.WorkerConcurrency}, {first.Seconds:0} s window)");
        report.AppendLine();
        AppendTable(
            report,
            results.Select(static r => r.Synchronous),
            ("runs/s (target ≥ 1,000)", results.Select(static r => Format(r.RunsPerSecond, "N0"))),
            ("runs completed in the window", results.Select(static r => Format(r.Runs, "N0"))),
            ("failed runs or requests", results.Select(static r => Format(r.Failed, "N0"))),
            ("events per run", results.Select(static r => Format(r.EventsPerRun, "0.0"))),
            ("writer writes per run", results.Select(static r => Format(r.WritesPerRun, "0.0"))),
            ("writer commits per run", results.Select(static r => Format(r.CommitsPerRun, "0.00"))),
            ("writes per commit", results.Select(static r => Format(r.WritesPerCommit, "0.0"))),
            ("dispatcher claim transactions per run (outside the writer)", results.Select(static r => Format(r.ClaimsPerRun, "0.00"))),
            ("writer busy in IRunStore.ApplyAsync (share of window)", results.Select(static r => Format(r.WriterBusyShare, "P0"))),
            ("time per writer commit (ms)", results.Select(static r => Format(r.MillisecondsPerCommit, "0.0"))),
            ("CPU per run, server + clients (ms)", results.Select(static r => Format(r.CpuMillisecondsPerRun, "0.00"))),
            ("CPU busy: this process / whole machine", results.Select(static r => $"{Format(r.CpuShare, "P0")} / {Format(r.MachineShare, "P0")}")));
    }

    private static void AppendWriter(StringBuilder report, List<WriterResult> results)
    {
        var first = results[0];
        report.AppendLine(CultureInfo.InvariantCulture, $"### Events per second through the writer alone ({first.Runs} running runs, {WriterScenario.InFlightPerRun} writes in flight per run, {first.Seconds:0} s window)");
        report.AppendLine();
        foreach (var mix in results.Select(static r => r.Mix).Distinct())
        {
            var rows = results.Where(r => r.Mix == mix).ToList();
            report.AppendLine(mix == WriterMix.Appends
                ? "Appends of finished events (one write per event):"
                : "Append in progress, then complete in place (two writes per event, like a tool call):");
            report.AppendLine();
            AppendTable(
                report,
                rows.Select(static r => r.Synchronous),
                ("events/s (target ≥ 50,000)", rows.Select(static r => Format(r.EventsPerSecond, "N0"))),
                ("writes/s", rows.Select(static r => Format(r.WritesPerSecond, "N0"))),
                ("commits/s", rows.Select(static r => Format(r.CommitsPerSecond, "N0"))),
                ("writes per commit", rows.Select(static r => Format(r.WritesPerCommit, "N0"))),
                ("share of the window inside IRunStore.ApplyAsync", rows.Select(static r => Format(r.StoreShare, "P0"))),
                ("store time per write (µs)", rows.Select(static r => Format(r.StoreMicrosecondsPerWrite, "0.0"))),
                ("CPU per write (µs)", rows.Select(static r => Format(r.CpuMicrosecondsPerWrite, "0.0"))),
                ("CPU busy: this process / whole machine", rows.Select(static r => $"{Format(r.CpuShare, "P0")} / {Format(r.MachineShare, "P0")}")));
        }
    }

    private static void AppendLatency(StringBuilder report, List<LatencyResult> results)
    {
        var first = results[0];
        report.AppendLine(CultureInfo.InvariantCulture, $"### Create → running latency (open loop at {first.TargetRate:0} runs/s, Workers:Concurrency {first.WorkerConcurrency}, first second left out)");
        report.AppendLine();
        AppendTable(
            report,
            results.Select(static r => r.Synchronous),
            ("runs started per second (achieved)", results.Select(static r => Format(r.AchievedRate, "N0"))),
            ("runs measured / failed", results.Select(static r => $"{r.Measured:N0} / {r.Failed:N0}")),
            ("server startedAt − createdAt p50 (ms)", results.Select(static r => Format(r.ServerP50, "0"))),
            ("server startedAt − createdAt p99 (ms, target < 50)", results.Select(static r => Format(r.ServerP99, "0"))),
            ("server startedAt − createdAt max (ms)", results.Select(static r => Format(r.ServerMax, "0"))),
            ("client POST round trip p50 / p99 (ms)", results.Select(static r => $"{r.CreateP50:0.0} / {r.CreateP99:0.0}")),
            ("client POST → done p50 / p99 (ms)", results.Select(static r => $"{r.DoneP50:0.0} / {r.DoneP99:0.0}")),
            ("CPU busy: this process / whole machine", results.Select(static r => $"{Format(r.CpuShare, "P0")} / {Format(r.MachineShare, "P0")}")));
    }

    private static void AppendTable(StringBuilder report, IEnumerable<SqliteSynchronous> modes, params (string Name, IEnumerable<string> Values)[] rows)
    {
        var headers = modes.Select(static m => $"synchronous={m.ToString().ToUpperInvariant()}").ToList();
        report.AppendLine(CultureInfo.InvariantCulture, $"| | {string.Join(" | ", headers)} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"|---|{string.Concat(headers.Select(static _ => "---:|"))}");
        foreach (var (name, values) in rows)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {string.Join(" | ", values)} |");
        }

        report.AppendLine();
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Format(long value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string? StringOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int? IntOption(string[] args, string name) =>
        StringOption(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
