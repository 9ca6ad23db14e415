using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Models;

/// <summary>
/// What every remote provider (<c>openai</c>, <c>anthropic</c>, <c>ollama</c>) builds its clients from: the environment
/// its settings fall back to, the model settings, and the retry decorator that every remote client is wrapped in.
/// </summary>
public sealed class RemoteModelClients(ModelEnvironment environment, IOptions<ModelsOptions> options, TimeProvider timeProvider, ILogger<RetryingChatClient> logger)
{
    /// <summary>Environment variables, read through configuration.</summary>
    public ModelEnvironment Environment => environment;

    /// <summary>The models section of configuration.</summary>
    public ModelsOptions Options => options.Value;

    /// <summary>How long one model request may take.</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Options.RequestTimeoutSeconds);

    /// <summary>
    /// Wraps a provider's client in the retries of <see cref="ModelsOptions.Retry"/>, scrubbing <paramref name="scrubber"/>'s
    /// secrets from failures; <paramref name="ownedResource"/> is disposed with the client.
    /// </summary>
    public IChatClient WithRetries(IChatClient inner, string stackId, SecretScrubber scrubber, IDisposable? ownedResource = null) =>
        new RetryingChatClient(inner, stackId, Options.Retry, scrubber, timeProvider, logger, ownedResource: ownedResource);
}
