namespace Agentry.Core.Models;

/// <summary>
/// The model configuration of a node, bound from <c>Agentry:Models</c>. Stacks are keyed by their id
/// (<c>Agentry:Models:Stacks:local/offline:Provider = local</c>); aliases map one stack id to another.
/// </summary>
public sealed class ModelsOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Agentry:Models";

    /// <summary>
    /// Configured stacks by id. They are added to the built-in stacks (<c>local/offline</c>,
    /// <c>local/offline-slow</c>); a configured stack with a built-in id replaces the built-in one.
    /// </summary>
    public Dictionary<string, ModelStackOptions> Stacks { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Aliases by name, each naming the stack it resolves to. The built-in alias <c>default</c> points at
    /// <c>local/offline</c> unless configured here.
    /// </summary>
    public Dictionary<string, string> Aliases { get; } = new(StringComparer.Ordinal);

    /// <summary>How calls to remote providers (<c>openai</c>, <c>anthropic</c>, <c>ollama</c>) are retried.</summary>
    public ModelRetryOptions Retry { get; } = new();

    /// <summary>
    /// How long one call to a remote provider may take, in seconds, before it counts as a (transient) timeout.
    /// Generous by default because a long report from a local model on a CPU takes minutes.
    /// </summary>
    public int RequestTimeoutSeconds { get; set; } = 300;

    /// <summary>Configuration values that could not be read; reported by validation at start.</summary>
    internal List<string> BindingErrors { get; } = [];
}

/// <summary>One model stack: which provider serves it, which model, where, with which key, and at what price.</summary>
public sealed class ModelStackOptions
{
    /// <summary>The provider that serves the stack, e.g. <c>local</c>. Required.</summary>
    public string? Provider { get; set; }

    /// <summary>The provider's model name; each provider has its own default when absent (<c>offline</c> for <c>local</c>).</summary>
    public string? Model { get; set; }

    /// <summary>The provider's endpoint, for providers that call one; null means the provider's default.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The API key, written into configuration. Prefer <see cref="ApiKeyEnvironmentVariable"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The environment variable that holds the API key, e.g. <c>OPENAI_API_KEY</c>.</summary>
    public string? ApiKeyEnvironmentVariable { get; set; }

    /// <summary>US dollars per million input tokens; 0 (the default) makes the stack free.</summary>
    public decimal InputPricePerMillion { get; set; }

    /// <summary>US dollars per million output tokens; 0 (the default) makes the stack free.</summary>
    public decimal OutputPricePerMillion { get; set; }

    /// <summary>
    /// A pause before every model call, in milliseconds (0, the default, means none). The offline model uses it so
    /// that runs last long enough to be watched live and cancelled.
    /// </summary>
    public int StepDelayMs { get; set; }

    /// <summary>How many tokens the model's context holds; null means unknown.</summary>
    public int? ContextWindowTokens { get; set; }
}

/// <summary>Retries of transient model failures (429, 5xx, timeouts, dropped connections), bound from <c>Agentry:Models:Retry</c>.</summary>
public sealed class ModelRetryOptions
{
    /// <summary>How many calls at most, the first included; 1 turns retries off.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The wait before the first retry in milliseconds; it doubles with each retry, with jitter.</summary>
    public int BaseDelayMs { get; set; } = 1_000;

    /// <summary>The longest single wait in milliseconds, also when the provider's <c>Retry-After</c> asks for more.</summary>
    public int MaxDelayMs { get; set; } = 30_000;
}
