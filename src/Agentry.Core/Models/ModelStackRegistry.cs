using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Models;

/// <summary>
/// Builds every configured stack once, at start, through the provider named in its configuration, and keeps the
/// clients for the life of the process. Built-in stacks (<see cref="OfflineStackId"/>, <see cref="OfflineSlowStackId"/>)
/// and the alias <see cref="DefaultAlias"/> are always present so that a fresh install runs agents with no key.
/// </summary>
public sealed class ModelStackRegistry : IModelStackRegistry, IDisposable
{
    /// <summary>The deterministic, LLM-free stack.</summary>
    public const string OfflineStackId = "local/offline";

    /// <summary>The offline stack with a pause before every model call, for watching runs live.</summary>
    public const string OfflineSlowStackId = "local/offline-slow";

    /// <summary>The alias used by agents that do not care which model runs them.</summary>
    public const string DefaultAlias = "default";

    /// <summary>The pause of <see cref="OfflineSlowStackId"/> before each model call.</summary>
    public const int OfflineSlowStepDelayMs = 400;

    private readonly FrozenDictionary<string, ModelStackResolution> _stacks;
    private readonly FrozenDictionary<string, string> _aliases;
    private readonly FrozenDictionary<string, string> _providerNames;
    private readonly List<IChatClient> _ownedClients = [];

    public ModelStackRegistry(IOptions<ModelsOptions> options, IEnumerable<IModelProvider> providers, ILogger<ModelStackRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(logger);

        var providersByName = new Dictionary<string, IModelProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            // The last registration wins, as with every other DI service, so a host can replace a provider.
            providersByName[provider.Name] = provider;
        }

        var definitions = new Dictionary<string, ModelStackOptions>(StringComparer.Ordinal)
        {
            [OfflineStackId] = new() { Provider = "local" },
            [OfflineSlowStackId] = new() { Provider = "local", StepDelayMs = OfflineSlowStepDelayMs },
        };
        foreach (var (id, stack) in options.Value.Stacks)
        {
            definitions[id] = stack;
        }

        var stacks = new Dictionary<string, ModelStackResolution>(StringComparer.Ordinal);
        var providerNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (id, definition) in definitions)
        {
            var resolution = Build(id, definition, providersByName, providerNames);
            if (!resolution.Available)
            {
                Log.StackUnavailable(logger, id, resolution.Reason);
            }

            stacks[id] = resolution;
        }

        var aliases = new Dictionary<string, string>(StringComparer.Ordinal) { [DefaultAlias] = OfflineStackId };
        foreach (var (alias, target) in options.Value.Aliases)
        {
            aliases[alias] = target;
        }

        _stacks = stacks.ToFrozenDictionary(StringComparer.Ordinal);
        _aliases = aliases.ToFrozenDictionary(StringComparer.Ordinal);
        _providerNames = providerNames.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public ModelStackResolution Resolve(string stackId)
    {
        ArgumentNullException.ThrowIfNull(stackId);
        if (_stacks.TryGetValue(stackId, out var stack))
        {
            return stack;
        }

        if (_aliases.TryGetValue(stackId, out var target))
        {
            return _stacks.TryGetValue(target, out var aliased)
                ? aliased with { RequestedId = stackId }
                : new ModelStackResolution(stackId, null, $"The model stack alias '{stackId}' points at '{target}', which is not a configured model stack.");
        }

        return new ModelStackResolution(
            stackId,
            null,
            $"Unknown model stack '{stackId}'. Known stacks: {string.Join(", ", _stacks.Keys.Concat(_aliases.Keys).Order(StringComparer.Ordinal))}.");
    }

    /// <inheritdoc />
    public IReadOnlyList<ModelStackInfo> Describe()
    {
        var infos = new List<ModelStackInfo>(_stacks.Count + _aliases.Count);
        foreach (var (id, stack) in _stacks)
        {
            infos.Add(Describe(id, stack, aliasOf: null));
        }

        foreach (var (alias, target) in _aliases)
        {
            infos.Add(Describe(alias, Resolve(alias), target));
        }

        infos.Sort((a, b) => StringComparer.Ordinal.Compare(a.Id, b.Id));
        return infos;
    }

    /// <summary>Disposes the chat clients the registry created.</summary>
    public void Dispose()
    {
        foreach (var client in _ownedClients)
        {
            client.Dispose();
        }

        _ownedClients.Clear();
    }

    private ModelStackInfo Describe(string id, ModelStackResolution resolution, string? aliasOf)
    {
        if (resolution.Available)
        {
            return new ModelStackInfo(id, resolution.Stack.Provider, resolution.Stack.Model, true, null, aliasOf);
        }

        var providerOf = aliasOf ?? id;
        return new ModelStackInfo(id, _providerNames.GetValueOrDefault(providerOf), null, false, resolution.Reason, aliasOf);
    }

    private ModelStackResolution Build(
        string id,
        ModelStackOptions definition,
        Dictionary<string, IModelProvider> providers,
        Dictionary<string, string> providerNames)
    {
        if (string.IsNullOrWhiteSpace(definition.Provider))
        {
            return new ModelStackResolution(id, null, $"The model stack '{id}' names no provider (set Agentry:Models:Stacks:{id}:Provider).");
        }

        providerNames[id] = definition.Provider;
        if (!providers.TryGetValue(definition.Provider, out var provider))
        {
            return new ModelStackResolution(
                id,
                null,
                $"The model stack '{id}' uses the provider '{definition.Provider}', which this server does not support (supported: {string.Join(", ", providers.Keys.Order(StringComparer.Ordinal))}).");
        }

        var model = string.IsNullOrWhiteSpace(definition.Model) ? provider.DefaultModel : definition.Model;
        var created = provider.CreateClient(id, model, definition);
        if (!created.Available)
        {
            return new ModelStackResolution(id, null, created.Reason);
        }

        _ownedClients.Add(created.Client);
        var stack = new ModelStack(
            id,
            provider.Name,
            model,
            definition.InputPricePerMillion,
            definition.OutputPricePerMillion,
            definition.ContextWindowTokens,
            created.Client);
        return new ModelStackResolution(id, stack, null);
    }
}
