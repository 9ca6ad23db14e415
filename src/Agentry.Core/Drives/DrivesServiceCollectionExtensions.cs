using Agentry.Core.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Agentry.Core.Drives;

/// <summary>Registers drives: the service, the file store, the background indexer and the agents' drive tools.</summary>
public static class DrivesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DriveService"/>, <see cref="DriveFileStore"/>, <see cref="DriveIndexer"/> with its
    /// background <see cref="DriveIndexingService"/>, and <see cref="DriveToolProvider"/> as an <see cref="IAgentToolProvider"/>,
    /// with <see cref="DrivesOptions"/> bound from <c>Agentry:Drives</c> and validated at start. The host sets
    /// <see cref="DrivesOptions.RootDirectory"/>; an <c>IDriveStore</c> must be registered by the storage provider.
    /// </summary>
    public static IServiceCollection AddAgentryDrives(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DrivesOptions>()
            .Bind(configuration.GetSection(DrivesOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.RootDirectory), "Agentry:Drives:RootDirectory must name a directory.")
            .Validate(o => o.MaxUploadBytes > 0, "Agentry:Drives:MaxUploadBytes must be positive.")
            .Validate(o => o.IndexingConcurrency is >= 1 and <= 64, "Agentry:Drives:IndexingConcurrency must be from 1 to 64.")
            .ValidateOnStart();
        services.TryAddSingleton<DriveFileStore>();
        services.TryAddSingleton<DriveIndexer>();
        services.TryAddSingleton<DriveService>();
        services.AddHostedService<DriveIndexingService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAgentToolProvider, DriveToolProvider>());
        return services;
    }
}
