using Agentry.Core.Runtime;
using Agentry.Core.Tools.Mcp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Tools;

/// <summary>Registers the builtin tools.</summary>
public static class ToolsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="BuiltinToolProvider"/> and <see cref="McpToolProvider"/> (servers of <c>Agentry:Mcp:Servers</c>) as an <see cref="IAgentToolProvider"/> with <see cref="ToolsOptions"/>
    /// read from <c>Agentry:Tools</c> in <paramref name="configuration"/> and validated at start.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration root (the section <c>Agentry:Tools</c> is read).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddAgentryTools(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<ToolsOptions>()
            .Configure(options => ToolsOptionsBinder.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ToolsOptions>, ToolsOptionsValidator>());
        services.AddOptions<McpOptions>()
            .Configure(options => McpOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<McpOptions>, McpOptionsValidator>());
        services.TryAddSingleton<McpServerRegistry>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentToolProvider, McpToolProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentToolProvider, BuiltinToolProvider>());
        return services;
    }
}
