using System.ComponentModel.DataAnnotations;

namespace Agentry.Core.Execution;

/// <summary>How this node runs agents: <c>Agentry:Workers</c> in configuration.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agentry:Workers";

    /// <summary>Runs executed at once on this node (default 32: runs wait on models, not on the CPU).</summary>
    [Range(1, 10_000)]
    public int Concurrency { get; set; } = 32;

    /// <summary>The most runs claimed in one transaction (default 64).</summary>
    [Range(1, 1_000)]
    public int ClaimBatchSize { get; set; } = 64;

    /// <summary>How long a claim holds a run without renewal (default 30 s). A dead worker's runs are taken over after it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often leases are renewed and cancel requests made on other nodes are picked up (default 1 s: a cancel
    /// must reach its run within about a second wherever the run executes; one statement per tick renews them all).
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the watchdog looks for expired leases (default 5 s).</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the dispatcher looks for pending runs when nothing woke it (default 1 s; runs created on another node).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>On shutdown, how long in-flight runs may go on before their leases are given back (default 10 s).</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>This node's name in lease owners; a new one per process when empty.</summary>
    public string? NodeId { get; set; }
}
