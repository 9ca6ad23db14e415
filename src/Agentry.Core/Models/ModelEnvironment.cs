using Microsoft.Extensions.Configuration;

namespace Agentry.Core.Models;

/// <summary>
/// The provider settings that conventionally live in environment variables (<c>OPENAI_API_KEY</c>,
/// <c>OPENAI_BASE_URL</c>, <c>ANTHROPIC_API_KEY</c>, <c>ANTHROPIC_BASE_URL</c>, <c>OLLAMA_HOST</c>, and whatever a stack's
/// <c>ApiKeyEnvironmentVariable</c> names), read through <see cref="IConfiguration"/> rather than the process
/// environment: the host's configuration includes the environment, and tests set them without touching the process.
/// </summary>
public sealed class ModelEnvironment
{
    private readonly IConfiguration _configuration;

    /// <param name="configuration">The application's configuration root.</param>
    public ModelEnvironment(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
    }

    /// <summary>The value of the setting, trimmed; null when it is absent or blank.</summary>
    public string? this[string name]
    {
        get
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
            var value = _configuration[name];
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }
    }
}
