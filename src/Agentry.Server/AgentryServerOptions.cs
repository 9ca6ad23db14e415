namespace Agentry.Server;

/// <summary>The host's settings, bound from the <c>Agentry</c> configuration section and validated at start.</summary>
public sealed class AgentryServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Agentry";

    /// <summary>Where the SQLite file (<c>agentry.db</c>), <c>admin.key</c> and drive files live; <c>./data</c> by default, created if missing.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>When set, the default organization's admin key (scopes admin and system); otherwise one is generated on first start.</summary>
    public string? BootstrapApiKey { get; set; }

    /// <summary>Whether the sample agents are created in the default organization on first start; true by default.</summary>
    public bool SeedSamples { get; set; } = true;

    /// <summary>Where the built web console is served from; <c>&lt;app&gt;/console</c> (where the build copies it) when unset.</summary>
    public string? ConsoleDir { get; set; }

    /// <summary>Request size limits.</summary>
    public RequestLimitOptions Limits { get; set; } = new();

    /// <summary>Per-key rate limiting.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary><see cref="BootstrapApiKey"/> trimmed; null when unset or blank (an environment variable set to nothing).</summary>
    public string? ConfiguredBootstrapKey => string.IsNullOrWhiteSpace(BootstrapApiKey) ? null : BootstrapApiKey.Trim();

    /// <summary><see cref="DataDir"/> as an absolute path.</summary>
    public string DataDirFullPath => Path.GetFullPath(DataDir);
}

/// <summary>Request size limits (<c>Agentry:Limits</c>).</summary>
public sealed class RequestLimitOptions
{
    /// <summary>The largest JSON body accepted, in bytes; 1 MiB by default. Larger bodies answer 413.</summary>
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;
}

/// <summary>Per-key rate limiting (<c>Agentry:RateLimit</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per second each API key may make (a token bucket of the same size); 200 by default, 0 turns limiting off.</summary>
    public int RequestsPerSecond { get; set; } = 200;
}
