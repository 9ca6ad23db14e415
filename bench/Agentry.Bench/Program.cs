using Agentry.Bench.Analytics;
using Agentry.Bench.Engine;
using Agentry.Bench.Runtime;
using BenchmarkDotNet.Running;

namespace Agentry.Bench;

/// <summary>
/// Entry point for every Agentry benchmark. <c>engine [--quick]</c> runs the run-engine throughput harness
/// (<see cref="EngineBenchmark"/>: system figures over a real server, measured with stopwatches); <c>runtime [--quick]</c>
/// the agent runtime's overhead and memory per in-flight run (<see cref="RuntimeBenchmark"/>); <c>analytics [--quick]</c> the
/// analytics queries at 1,000,000 stored runs (<see cref="AnalyticsBenchmark"/>). Anything else goes to
/// BenchmarkSwitcher, which discovers all [Benchmark] classes in this assembly, so new areas only add a folder;
/// choose with e.g. <c>--filter '*JsonSchema*'</c>.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && string.Equals(args[0], "engine", StringComparison.OrdinalIgnoreCase))
        {
            return await EngineBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && string.Equals(args[0], "runtime", StringComparison.OrdinalIgnoreCase))
        {
            return await RuntimeBenchmark.RunAsync(args[1..]);
        }

        if (args.Length > 0 && string.Equals(args[0], "analytics", StringComparison.OrdinalIgnoreCase))
        {
            return await AnalyticsBenchmark.RunAsync(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
