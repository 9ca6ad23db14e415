using Agentry.Core.Models;
using Agentry.Core.Models.Anthropic;
using Agentry.Core.Models.Offline;
using Agentry.Core.Models.Ollama;
using Agentry.Core.Models.OpenAI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Runtime;

/// <summary>Registers the agent runtime and the model stacks.</summary>
public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAgentRuntime"/> (<see cref="AgentLoop"/>), <see cref="IModelStackRegistry"/> built from
    /// <c>Agentry:Models</c> in <paramref name="configuration"/> (validated at start), the <c>local</c>, <c>openai</c>,
    /// <c>anthropic</c> and <c>ollama</c> model providers (whose keys and hosts, such as <c>OPENAI_API_KEY</c>, are read
    /// from <paramref name="configuration"/>, which includes the environment in a host), and
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is already registered. More model
    /// providers are added as <see cref="IModelProvider"/> singletons, tools as <see cref="IAgentToolProvider"/> singletons.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration root (the section <c>Agentry:Models</c> is read).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddAgentryRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ModelsOptions>()
            .Configure(options => ModelsOptionsBinder.Bind(configuration.GetSection(ModelsOptions.SectionName), options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelsOptions>, ModelsOptionsValidator>());
        services.TryAddSingleton(new ModelEnvironment(configuration));
        services.TryAddSingleton<RemoteModelClients>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelProvider, OfflineModelProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelProvider, OpenAIModelProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelProvider, AnthropicModelProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IModelProvider, OllamaModelProvider>());
        services.TryAddSingleton<IModelStackRegistry, ModelStackRegistry>();
        services.TryAddSingleton<IAgentRuntime, AgentLoop>();
        return services;
    }
}
