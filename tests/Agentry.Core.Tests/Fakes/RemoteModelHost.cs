using Agentry.Core.Models;
using Agentry.Core.Runtime;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agentry.Core.Tests.Fakes;

/// <summary>
/// The runtime as a host builds it (<see cref="RuntimeServiceCollectionExtensions.AddAgentryRuntime"/>), with the given
/// settings standing in for configuration and environment variables, and tiny retry waits unless the settings say otherwise.
/// </summary>
public sealed class RemoteModelHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public RemoteModelHost(IDictionary<string, string?> settings, TimeProvider? timeProvider = null, params AIFunction[] tools)
    {
        var all = new Dictionary<string, string?>
        {
            ["Agentry:Models:Retry:BaseDelayMs"] = "10",
            ["Agentry:Models:Retry:MaxDelayMs"] = "5000",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (tools.Length > 0)
        {
            services.AddSingleton<IAgentToolProvider>(new StaticTools(tools));
        }

        _services = services.AddAgentryRuntime(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public IModelStackRegistry Registry => _services.GetRequiredService<IModelStackRegistry>();

    public IAgentRuntime Runtime => _services.GetRequiredService<IAgentRuntime>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class StaticTools(AIFunction[] tools) : IAgentToolProvider
    {
        public ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<AIFunction>>(tools);
    }
}
