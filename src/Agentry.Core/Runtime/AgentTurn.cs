using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Runs;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Runtime;

/// <summary>The phase of the run loop a model request belongs to.</summary>
public enum AgentPhase
{
    /// <summary>The model writes a plan.</summary>
    Planning,

    /// <summary>The model works through the plan, calling tools.</summary>
    Acting,

    /// <summary>The model writes the result (a document, or JSON against the result schema).</summary>
    Result,

    /// <summary>The model summarises the older turns of the transcript, which has grown too large for its context.</summary>
    Compression,
}

/// <summary>
/// What the loop is asking for, in structured form, attached to every request's <see cref="ChatOptions.AdditionalProperties"/>.
/// Real models read the same facts from the messages; the offline model reads them from here, so it never has to
/// parse prompts that may change. Providers do not send additional properties they do not know to the network.
/// </summary>
/// <param name="Phase">The loop's phase.</param>
/// <param name="Goal">The rendered goal prompt.</param>
/// <param name="Input">The run's input.</param>
/// <param name="ResultType">The kind of result the run produces.</param>
/// <param name="Sources">The sources consulted so far, in citation order.</param>
public sealed record AgentTurn(AgentPhase Phase, string Goal, JsonElement Input, ResultType ResultType, IReadOnlyList<RunSource> Sources)
{
    /// <summary>
    /// For <see cref="AgentPhase.Compression"/>: the messages to summarise, each rendered as text (<c>role: text</c>),
    /// oldest first; empty for the other phases.
    /// </summary>
    public IReadOnlyList<string> Transcript { get; init; } = [];

    /// <summary>The key of the turn in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string PropertyName = "agentry.turn";

    /// <summary>The turn attached to <paramref name="options"/>, or null for a request that did not come from the loop.</summary>
    public static AgentTurn? From(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(PropertyName, out AgentTurn? turn) ? turn : null;

    /// <summary>Attaches this turn to <paramref name="options"/>.</summary>
    public void AttachTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[PropertyName] = this;
    }
}
