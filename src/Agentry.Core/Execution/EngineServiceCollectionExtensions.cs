using Agentry.Core.Common;
using Agentry.Core.Events;
using Agentry.Core.Runs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Agentry.Core.Execution;

/// <summary>Registers the run engine: the event writer and hub, the run service and, on worker nodes, the dispatcher, lease keeper and watchdog.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine. <c>Agentry:Role</c> decides what runs here: <c>all</c> (default) and <c>worker</c> execute
    /// runs; <c>api</c> only serves requests. The watchdog runs on every node. Needs the storage services
    /// (<c>IAgentStore</c>, <c>IRunStore</c>, <c>IEventLog</c>) and an <c>IAgentRuntime</c> registered beside it.
    /// </summary>
    public static IServiceCollection AddAgentryEngine(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var role = NodeRoles.Parse(configuration["Agentry:Role"]);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdGenerator>();
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EventWriterOptions>().Bind(configuration.GetSection("Agentry:EventWriter"));

        services.TryAddSingleton<RunStateMachine>();
        services.TryAddSingleton<RunEventHub>();
        services.TryAddSingleton<ActiveRuns>();
        services.TryAddSingleton<NodeIdentity>();
        services.TryAddSingleton<InputSchemaCache>();
        services.TryAddSingleton<RunService>();
        services.TryAddSingleton<RunWorker>();

        // The writer is registered before the services that write through it: hosts stop services in reverse
        // order, so the writer stops last and commits what the dispatcher's draining workers wrote.
        services.TryAddSingleton<EventWriter>();
        services.AddHostedService(static sp => sp.GetRequiredService<EventWriter>());
        if (role is NodeRole.All or NodeRole.Worker)
        {
            services.TryAddSingleton<RunLeaseKeeper>();
            services.AddHostedService<RunDispatcher>();
            services.AddHostedService(static sp => sp.GetRequiredService<RunLeaseKeeper>());
        }

        services.TryAddSingleton<RunLeaseWatchdog>();
        services.AddHostedService(static sp => sp.GetRequiredService<RunLeaseWatchdog>());
        return services;
    }
}

/// <summary>What a node does.</summary>
public enum NodeRole
{
    /// <summary>Serves the API and executes runs (the default).</summary>
    All,

    /// <summary>Serves the API only.</summary>
    Api,

    /// <summary>Executes runs only.</summary>
    Worker,
}

/// <summary>Parsing of <c>Agentry:Role</c>.</summary>
public static class NodeRoles
{
    /// <summary>Parses a role name (case-insensitive); empty means <see cref="NodeRole.All"/>.</summary>
    public static NodeRole Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" or "ALL" => NodeRole.All,
        "API" => NodeRole.Api,
        "WORKER" => NodeRole.Worker,
        _ => throw new InvalidOperationException($"Agentry:Role is \"{value}\"; use all, api or worker."),
    };
}
