using Agentry.Client;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="AgentryClient"/> as a typed <see cref="HttpClient"/> client.</summary>
public static class AgentryClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AgentryClient"/> (transient, over a pooled <see cref="HttpClient"/> from
    /// <c>IHttpClientFactory</c>) configured by <paramref name="configure"/>; the options are validated when the first client is made.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the base address, key, retries and reconnects.</param>
    /// <returns>The HTTP client builder, to add handlers or resilience.</returns>
    public static IHttpClientBuilder AddAgentryClient(this IServiceCollection services, Action<AgentryClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<AgentryClientOptions>().Configure(configure);
        return services.AddHttpClient(nameof(AgentryClient))
            .AddTypedClient((http, provider) => new AgentryClient(http, provider.GetRequiredService<IOptions<AgentryClientOptions>>().Value));
    }
}
