using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Models;

/// <summary>
/// Makes chat clients for the stacks of one provider (<c>local</c>, <c>openai</c>, <c>anthropic</c>, <c>ollama</c>).
/// The registry asks the provider whose <see cref="Name"/> matches a stack's <see cref="ModelStackOptions.Provider"/>;
/// a new provider is one more implementation registered in DI, nothing else changes.
/// </summary>
public interface IModelProvider
{
    /// <summary>The provider name used in configuration, compared case-insensitively.</summary>
    string Name { get; }

    /// <summary>The model used when a stack does not name one.</summary>
    string DefaultModel { get; }

    /// <summary>
    /// Creates the client for one stack, or says why it cannot (a missing key or endpoint). Called once per stack
    /// when the registry is built; the registry disposes the client with itself.
    /// </summary>
    ModelClientResult CreateClient(string stackId, string model, ModelStackOptions options);
}

/// <summary>The outcome of <see cref="IModelProvider.CreateClient"/>: a client, or the reason there is none.</summary>
public sealed record ModelClientResult
{
    private ModelClientResult(IChatClient? client, string? reason, bool onAssumedSettings = false)
    {
        Client = client;
        Reason = reason;
        OnAssumedSettings = onAssumedSettings;
    }

    /// <summary>The client when the stack is usable.</summary>
    public IChatClient? Client { get; }

    /// <summary>Why the stack is unusable; null when <see cref="Client"/> is set.</summary>
    public string? Reason { get; }

    /// <summary>
    /// True when the client rests only on the provider's assumptions (Ollama at its default address) rather than on
    /// anything configured: the stack can be used by name, but the alias <c>default</c> does not pick it.
    /// </summary>
    public bool OnAssumedSettings { get; }

    /// <summary>True when <see cref="Client"/> is set.</summary>
    [MemberNotNullWhen(true, nameof(Client))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Available => Client is not null;

    /// <summary>A usable client.</summary>
    public static ModelClientResult Created(IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client, null);
    }

    /// <summary>A usable client built on the provider's defaults alone (see <see cref="OnAssumedSettings"/>).</summary>
    public static ModelClientResult CreatedOnAssumedSettings(IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(client, null, onAssumedSettings: true);
    }

    /// <summary>No client, and why.</summary>
    public static ModelClientResult Unavailable(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(null, reason);
    }
}
