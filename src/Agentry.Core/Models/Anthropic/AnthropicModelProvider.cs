using Anthropic;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Models.Anthropic;

/// <summary>
/// The <c>anthropic</c> provider, through the official Anthropic SDK's <see cref="IChatClient"/> adapter. The key comes
/// from configuration or <c>ANTHROPIC_API_KEY</c>, the endpoint from <c>Endpoint</c> or <c>ANTHROPIC_BASE_URL</c>.
/// </summary>
public sealed class AnthropicModelProvider(RemoteModelClients clients) : IModelProvider
{
    /// <summary>The provider's name in configuration.</summary>
    public const string ProviderName = "anthropic";

    /// <summary>The environment variable holding the key when a stack names none.</summary>
    public const string ApiKeyVariable = "ANTHROPIC_API_KEY";

    /// <summary>The environment variable holding the endpoint when a stack names none.</summary>
    public const string BaseUrlVariable = "ANTHROPIC_BASE_URL";

    /// <summary>Where the API is when nothing else is configured.</summary>
    public static readonly Uri DefaultEndpoint = new("https://api.anthropic.com");

    // Anthropic requires max_tokens on every request; reports are long, and current models allow far more than this.
    private const int MaxOutputTokens = 8192;

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DefaultModel => "claude-haiku-4-5";

    /// <inheritdoc />
    public ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (key, keyProblem) = RemoteModelSettings.ApiKey(stackId, options, clients.Environment, ApiKeyVariable);
        if (key is null)
        {
            return ModelClientResult.Unavailable(keyProblem!);
        }

        var (endpoint, endpointProblem) = RemoteModelSettings.Endpoint(stackId, options, clients.Environment, BaseUrlVariable);
        if (endpointProblem is not null)
        {
            return ModelClientResult.Unavailable(endpointProblem);
        }

        var sdk = new AnthropicClient
        {
            ApiKey = key,
            // Set always, so the SDK never falls back to the process environment behind the configuration's back.
            BaseUrl = (endpoint ?? DefaultEndpoint).ToString().TrimEnd('/'),
            // RetryingChatClient retries; the SDK's own retries would multiply the attempts.
            MaxRetries = 0,
            Timeout = clients.RequestTimeout,
        };
        var inner = sdk.AsIChatClient(model, MaxOutputTokens);
        var client = clients.WithRetries(inner, stackId, new SecretScrubber([key]));
        return ModelClientResult.Created(client);
    }
}
