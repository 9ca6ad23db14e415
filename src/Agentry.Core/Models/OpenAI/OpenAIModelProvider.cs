using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Agentry.Core.Models.OpenAI;

/// <summary>
/// The <c>openai</c> provider: OpenAI itself or any OpenAI-compatible server (vLLM, LM Studio, llama.cpp, …) at
/// <c>Endpoint</c> or <c>OPENAI_BASE_URL</c> (e.g. <c>http://host:8000/v1</c>). The key is required; a keyless local
/// server takes any placeholder. Structured output (<c>ChatResponseFormat.ForJsonSchema</c>) is sent as OpenAI's
/// <c>response_format: json_schema</c> by the Microsoft.Extensions.AI adapter.
/// </summary>
public sealed class OpenAIModelProvider(RemoteModelClients clients) : IModelProvider
{
    /// <summary>The provider's name in configuration.</summary>
    public const string ProviderName = "openai";

    /// <summary>The environment variable holding the key when a stack names none.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The environment variable holding the endpoint when a stack names none.</summary>
    public const string BaseUrlVariable = "OPENAI_BASE_URL";

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DefaultModel => "gpt-4o-mini";

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

        var clientOptions = new OpenAIClientOptions
        {
            // RetryingChatClient retries; the client's own policy would multiply the attempts and hide them from our logs.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = clients.RequestTimeout,
        };
        if (endpoint is not null)
        {
            clientOptions.Endpoint = endpoint;
        }

        var inner = new ChatClient(model, new ApiKeyCredential(key), clientOptions).AsIChatClient();
        var client = clients.WithRetries(inner, stackId, new SecretScrubber([key]));
        return ModelClientResult.Created(client);
    }
}
