using OllamaSharp;

namespace Agentry.Core.Models.Ollama;

/// <summary>
/// The <c>ollama</c> provider, through OllamaSharp. It needs no key; the server is the stack's <c>Endpoint</c>, else
/// <c>OLLAMA_HOST</c> (read as Ollama reads it: <c>host</c>, <c>host:port</c> or a URL; port 11434 when no scheme is
/// given), else <c>http://127.0.0.1:11434</c>. A stack on that last, assumed address is usable when asked for by name,
/// but the alias <c>default</c> does not pick it (<see cref="ModelClientResult.CreatedOnAssumedSettings"/>): nothing
/// says an Ollama is there.
/// </summary>
public sealed class OllamaModelProvider(RemoteModelClients clients) : IModelProvider
{
    /// <summary>The provider's name in configuration.</summary>
    public const string ProviderName = "ollama";

    /// <summary>The environment variable naming the Ollama server.</summary>
    public const string HostVariable = "OLLAMA_HOST";

    /// <summary>Ollama's own port, used when <c>OLLAMA_HOST</c> names no scheme and no port.</summary>
    public const int DefaultPort = 11434;

    /// <summary>Where Ollama listens when nothing says otherwise.</summary>
    public static readonly Uri DefaultEndpoint = new("http://127.0.0.1:11434");

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DefaultModel => "llama3.2";

    /// <summary>
    /// Reads <c>OLLAMA_HOST</c> the way Ollama does: without a scheme it is http on port 11434 unless a port is given;
    /// with <c>http://</c> or <c>https://</c> the scheme's own port applies unless one is given. Null when it does not parse.
    /// </summary>
    public static Uri? ParseHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var text = host.Trim();
        var hasScheme = text.Contains("://", StringComparison.Ordinal);
        if (!Uri.TryCreate(hasScheme ? text : $"http://{text}", UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        // Ollama binds 0.0.0.0 to listen everywhere; a client cannot connect to it, so it means this machine.
        var hostName = uri.Host is "0.0.0.0" ? "127.0.0.1" : uri.Host;
        var port = !hasScheme && uri.IsDefaultPort ? DefaultPort : uri.Port;
        return new UriBuilder(uri.Scheme, hostName, port, uri.AbsolutePath).Uri;
    }

    /// <inheritdoc />
    public ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var assumed = false;
        Uri endpoint;
        if (options.Endpoint is { } configured)
        {
            endpoint = configured;
        }
        else if (clients.Environment[HostVariable] is { } host)
        {
            if (ParseHost(host) is not { } parsed)
            {
                return ModelClientResult.Unavailable($"{HostVariable} is not a host, host:port or http(s) URL (was '{host}'); the model stack '{stackId}' cannot use it.");
            }

            endpoint = parsed;
        }
        else
        {
            endpoint = DefaultEndpoint;
            assumed = true;
        }

        // Our own HTTP client, for the timeout: a long answer from a local model on a CPU outlasts HttpClient's 100 s default.
        var http = new HttpClient { BaseAddress = endpoint, Timeout = clients.RequestTimeout };
        var inner = new OllamaApiClient(http, model);
        var client = clients.WithRetries(inner, stackId, SecretScrubber.PatternsOnly, http);
        return assumed ? ModelClientResult.CreatedOnAssumedSettings(client) : ModelClientResult.Created(client);
    }
}
