using Agentry.Core.Models;
using Agentry.Core.Models.Offline;
using Agentry.Core.Runtime;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Core.Tests.Fakes;

/// <summary>Builds an <see cref="AgentLoop"/> over the real registry, with the offline provider and optionally a scripted one.</summary>
public static class TestRuntime
{
    /// <summary>The id of the stack served by the scripted client, priced at $1 / $2 per million tokens.</summary>
    public const string ScriptedStackId = "scripted/test";

    public static ModelStackRegistry Registry(TimeProvider timeProvider, IChatClient? scripted = null, Action<ModelsOptions>? configure = null)
    {
        var options = new ModelsOptions();
        var providers = new List<IModelProvider> { new OfflineModelProvider(timeProvider) };
        if (scripted is not null)
        {
            options.Stacks[ScriptedStackId] = new ModelStackOptions { Provider = "scripted", InputPricePerMillion = 1m, OutputPricePerMillion = 2m };
            providers.Add(new ScriptedModelProvider(scripted));
        }

        configure?.Invoke(options);
        return new ModelStackRegistry(Options.Create(options), providers, NullLogger<ModelStackRegistry>.Instance);
    }

    public static AgentLoop Loop(
        TimeProvider? timeProvider = null,
        IChatClient? scripted = null,
        Action<ModelsOptions>? configure = null,
        params IAgentToolProvider[] tools)
    {
        timeProvider ??= new FakeTimeProvider(TestRuns.Epoch);
        return new AgentLoop(Registry(timeProvider, scripted, configure), tools, timeProvider, NullLogger<AgentLoop>.Instance);
    }
}
