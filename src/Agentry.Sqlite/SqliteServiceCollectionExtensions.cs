using Agentry.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Agentry.Sqlite;

/// <summary>Registers the embedded SQLite store.</summary>
public static class SqliteServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteStore"/> (singleton) as <see cref="IOrganizationStore"/>, <see cref="IAgentStore"/>,
    /// <see cref="IRunStore"/>, <see cref="IEventLog"/>, <see cref="IDriveStore"/>, <see cref="IAnalyticsStore"/> and <see cref="IRunFeedbackStore"/>, validates <see cref="SqliteStoreOptions"/> at start, and adds
    /// a hosted service that migrates the database when the host starts, before the services registered after it.
    /// </summary>
    public static IServiceCollection AddAgentrySqlite(this IServiceCollection services, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteStoreOptions>()
            .Configure(configure)
            .Validate(options => !string.IsNullOrWhiteSpace(options.DataSource), "SqliteStoreOptions.DataSource must name the database file.")
            .Validate(options => options.DataSource.Trim() != ":memory:", "SqliteStoreOptions.DataSource must be a file: the store needs WAL.")
            .Validate(options => options.BusyTimeout >= TimeSpan.Zero, "SqliteStoreOptions.BusyTimeout must not be negative.")
            .Validate(options => Enum.IsDefined(options.Synchronous), "SqliteStoreOptions.Synchronous must be Normal or Full.")
            .ValidateOnStart();
        services.AddSingleton(provider => new SqliteStore(provider.GetRequiredService<IOptions<SqliteStoreOptions>>()));
        services.AddSingleton<IOrganizationStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IAgentStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IRunStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IEventLog>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IDriveStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IAnalyticsStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddSingleton<IRunFeedbackStore>(provider => provider.GetRequiredService<SqliteStore>());
        services.AddHostedService(provider => new SqliteMigrationService(provider.GetRequiredService<SqliteStore>()));
        return services;
    }
}

/// <summary>Brings the database schema up to date when the host starts.</summary>
internal sealed class SqliteMigrationService(SqliteStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
