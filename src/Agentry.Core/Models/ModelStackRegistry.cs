using Agentry.Core.Common;
using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agentry.Core.Models;

/// <summary>
/// Builds every configured stack once, at start, through the provider named in its configuration, and keeps the
/// clients for the life of the process. Built-in stacks (<see cref="OfflineStackId"/>, <see cref="OfflineSlowStackId"/>)
/// and the alias <see cref="DefaultAlias"/> are always present so that a fresh install runs agents with no key; so are
/// <see cref="OpenAIDefaultStackId"/>, <see cref="AnthropicDefaultStackId"/> and <see cref="OllamaDefaultStackId"/> when
/// their provider is registered, available or not (with the missing setting named). Unless configured,
/// <see cref="DefaultAlias"/> is the first of those three that is configured, else <see cref="OfflineStackId"/>.
/// </summary>
public sealed class ModelStackRegistry : IModelStackRegistry, IDisposable
{
    /// <summary>The deterministic, LLM-free stack.</summary>
    public const string OfflineStackId = "local/offline";

    /// <summary>The offline stack with a pause before every model call, for watching runs live.</summary>
    public const string OfflineSlowStackId = "local/offline-slow";

    /// <summary>The alias used by agents that do not care which model runs them.</summary>
    public const string DefaultAlias = "default";

    /// <summary>OpenAI (or an OpenAI-compatible server) with <c>OPENAI_API_KEY</c> and the optional <c>OPENAI_BASE_URL</c>.</summary>
    public const string OpenAIDefaultStackId = "openai/default";

    /// <summary>Anthropic with <c>ANTHROPIC_API_KEY</c>.</summary>
    public const string AnthropicDefaultStackId = "anthropic/default";

    /// <summary>Ollama at <c>OLLAMA_HOST</c>, else <c>http://127.0.0.1:11434</c>.</summary>
    public const string OllamaDefaultStackId = "ollama/default";

    /// <summary>The pause of <see cref="OfflineSlowStackId"/> before each model call.</summary>
    public const int OfflineSlowStepDelayMs = 400;

    /// <summary>The stacks <see cref="DefaultAlias"/> tries, in order, before falling back to <see cref="OfflineStackId"/>.</summary>
    public static readonly IReadOnlyList<string> DefaultCandidates = [OpenAIDefaultStackId, AnthropicDefaultStackId, OllamaDefaultStackId];

    /// <summary>The ids of the stacks that exist without configuration (the remote ones only when their provider is registered).</summary>
    public static readonly IReadOnlyList<string> BuiltInStackIds = [OfflineStackId, OfflineSlowStackId, .. DefaultCandidates];

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

        var definitions = BuiltInDefinitions(providersByName);
        foreach (var (id, stack) in options.Value.Stacks)
        {
            // A configured built-in id that names no provider keeps the built-in's ("openai/default" with only a Model).
            definitions[id] = stack.Provider is null && definitions.TryGetValue(id, out var builtIn)
                ? new ModelStackOptions
                {
                    Provider = builtIn.Provider,
                    Model = stack.Model,
                    Endpoint = stack.Endpoint,
                    ApiKey = stack.ApiKey,
                    ApiKeyEnvironmentVariable = stack.ApiKeyEnvironmentVariable,
                    InputPricePerMillion = stack.InputPricePerMillion,
                    OutputPricePerMillion = stack.OutputPricePerMillion,
                    StepDelayMs = stack.StepDelayMs,
                    ContextWindowTokens = stack.ContextWindowTokens,
                }
                : stack;
        }

        var stacks = new Dictionary<string, ModelStackResolution>(StringComparer.Ordinal);
        var providerNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var assumed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, definition) in definitions)
        {
            var resolution = Build(id, definition, providersByName, providerNames, assumed);
            if (!resolution.Available)
            {
                Log.StackUnavailable(logger, id, resolution.Reason);
            }

            stacks[id] = resolution;
        }

        // A stack counts as configured when it is usable and rests on something the operator set: a key, a host, or
        // its own entry in Agentry:Models:Stacks. An Ollama nobody mentioned is not picked, since nothing says it is there.
        var defaultTarget = DefaultCandidates.FirstOrDefault(id =>
            stacks.TryGetValue(id, out var candidate) && candidate.Available && (options.Value.Stacks.ContainsKey(id) || !assumed.Contains(id)))
            ?? OfflineStackId;
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal) { [DefaultAlias] = defaultTarget };
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

    // The built-in stacks; the remote ones are priced for their default model (list prices, US dollars per million tokens).
    private static Dictionary<string, ModelStackOptions> BuiltInDefinitions(Dictionary<string, IModelProvider> providers)
    {
        var definitions = new Dictionary<string, ModelStackOptions>(StringComparer.Ordinal)
        {
            [OfflineStackId] = new() { Provider = "local" },
            [OfflineSlowStackId] = new() { Provider = "local", StepDelayMs = OfflineSlowStepDelayMs },
        };
        ModelStackOptions[] remote =
        [
            new() { Provider = "openai", InputPricePerMillion = 0.15m, OutputPricePerMillion = 0.60m, ContextWindowTokens = 128_000 },
            new() { Provider = "anthropic", InputPricePerMillion = 1m, OutputPricePerMillion = 5m, ContextWindowTokens = 200_000 },
            new() { Provider = "ollama" },
        ];
        for (var i = 0; i < DefaultCandidates.Count; i++)
        {
            if (providers.ContainsKey(remote[i].Provider!))
            {
                definitions[DefaultCandidates[i]] = remote[i];
            }
        }

        return definitions;
    }

    private ModelStackResolution Build(
        string id,
        ModelStackOptions definition,
        Dictionary<string, IModelProvider> providers,
        Dictionary<string, string> providerNames,
        HashSet<string> assumed)
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

        // Every model call becomes a "chat" span (GenAI semantic conventions) under the run's span, with token metrics.
        var client = created.Client.AsBuilder().UseOpenTelemetry(sourceName: AgentryTelemetry.Name).Build();
        _ownedClients.Add(client);
        if (created.OnAssumedSettings)
        {
            assumed.Add(id);
        }

        var stack = new ModelStack(
            id,
            provider.Name,
            model,
            definition.InputPricePerMillion,
            definition.OutputPricePerMillion,
            definition.ContextWindowTokens,
            client);
        return new ModelStackResolution(id, stack, null);
    }
}
