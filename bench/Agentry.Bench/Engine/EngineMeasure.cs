using System.Diagnostics;
using Agentry.Core.Events;

namespace Agentry.Bench.Engine;

/// <summary>The writer's counters, the wall clock and this process's CPU time at one instant; two of them make a window.</summary>
internal readonly record struct EngineSnapshot(long Ticks, long Commits, long Writes, TimeSpan Cpu, MachineCpu Machine)
{
    public static EngineSnapshot Take(EventWriter? writer)
    {
        using var process = Process.GetCurrentProcess();
        return new EngineSnapshot(
            Stopwatch.GetTimestamp(),
            writer?.Commits ?? 0,
            writer?.WritesApplied ?? 0,
            process.TotalProcessorTime,
            MachineCpu.Read());
    }

    /// <summary>This process's CPU time since <paramref name="start"/>.</summary>
    public TimeSpan CpuSince(EngineSnapshot start) => Cpu - start.Cpu;

    /// <summary>How busy the whole machine (every process) kept its cores since <paramref name="start"/>, from 0 to 1; NaN off Linux.</summary>
    public double MachineShareSince(EngineSnapshot start) => Machine.BusyShareSince(start.Machine);

    /// <summary>Seconds from <paramref name="start"/> to this snapshot.</summary>
    public double SecondsSince(EngineSnapshot start) => Stopwatch.GetElapsedTime(start.Ticks, Ticks).TotalSeconds;

    /// <summary>How busy this process kept the machine's cores since <paramref name="start"/>, from 0 to 1.</summary>
    public double CpuShareSince(EngineSnapshot start) =>
        (Cpu - start.Cpu).TotalSeconds / (SecondsSince(start) * Environment.ProcessorCount);
}

/// <summary>Percentiles of a sample, nearest-rank.</summary>
internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>How long each phase lasts; <c>--quick</c> shortens every phase for a smoke run.</summary>
internal sealed record EnginePlan(TimeSpan WarmUp, TimeSpan Window, TimeSpan LatencyDuration, TimeSpan WriterWindow, bool Quick)
{
    public static EnginePlan Full { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), Quick: false);

    public static EnginePlan Short { get; } = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(3), Quick: true);
}

/// <summary>The machine's CPU counters (<c>/proc/stat</c>, in clock ticks): shows when other processes share the cores with the benchmark.</summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    public static MachineCpu Read()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(long.Parse).ToArray();
            var idle = fields[3] + fields[4];
            var total = fields.Sum();
            return new MachineCpu(total - idle, total);
        }
        catch (IOException)
        {
            return default;
        }
        catch (UnauthorizedAccessException)
        {
            return default;
        }
    }

    public double BusyShareSince(MachineCpu start) => Total == start.Total ? double.NaN : (double)(Busy - start.Busy) / (Total - start.Total);
}
