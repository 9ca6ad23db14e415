using BenchmarkDotNet.Running;

namespace Agentry.Bench;

/// <summary>
/// Entry point for every Agentry benchmark. BenchmarkSwitcher discovers all [Benchmark] classes in this assembly,
/// so new areas only add a folder; choose with e.g. <c>--filter '*JsonSchema*'</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
