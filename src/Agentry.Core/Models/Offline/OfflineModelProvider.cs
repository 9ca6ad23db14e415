namespace Agentry.Core.Models.Offline;

/// <summary>The <c>local</c> provider: stacks served in-process by <see cref="OfflineChatClient"/>, needing no key or network.</summary>
public sealed class OfflineModelProvider : IModelProvider
{
    /// <summary>The provider's name in configuration.</summary>
    public const string ProviderName = "local";

    /// <summary>The one model of the provider.</summary>
    public const string OfflineModel = "offline";

    private readonly TimeProvider _timeProvider;

    public OfflineModelProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public string Name => ProviderName;

    /// <inheritdoc />
    public string DefaultModel => OfflineModel;

    /// <inheritdoc />
    public ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(model, OfflineModel, StringComparison.Ordinal))
        {
            return ModelClientResult.Unavailable(
                $"The model stack '{stackId}' asks the '{ProviderName}' provider for the model '{model}'; it has only '{OfflineModel}'.");
        }

        var client = new OfflineChatClient($"{ProviderName}/{model}", TimeSpan.FromMilliseconds(options.StepDelayMs), _timeProvider);
        return ModelClientResult.Created(client);
    }
}
