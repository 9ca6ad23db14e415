using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;

namespace Agentry.Core.Models;

/// <summary>A resolved, usable model stack: the chat client to call and the prices to charge.</summary>
/// <param name="Id">The stack id as configured, e.g. <c>local/offline</c> (an alias resolves to its target's id).</param>
/// <param name="Provider">The provider serving it, e.g. <c>local</c>.</param>
/// <param name="Model">The provider's model name.</param>
/// <param name="InputPricePerMillion">US dollars per million input tokens.</param>
/// <param name="OutputPricePerMillion">US dollars per million output tokens.</param>
/// <param name="ContextWindowTokens">The model's context size when known.</param>
/// <param name="Client">The client for the model; owned by the registry, shared by all runs.</param>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "\"Model stack\" is the domain's name (API.md, /v1/model-stacks), not a stack collection.")]
public sealed record ModelStack(
    string Id,
    string Provider,
    string Model,
    decimal InputPricePerMillion,
    decimal OutputPricePerMillion,
    int? ContextWindowTokens,
    IChatClient Client)
{
    /// <summary>The cost in US dollars of the given token counts at this stack's prices.</summary>
    public decimal CostOf(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPricePerMillion) + (outputTokens * OutputPricePerMillion)) / 1_000_000m;
}

/// <summary>The answer to "which model does this stack id mean": the stack, or why it cannot be used.</summary>
/// <param name="RequestedId">The id that was asked for (possibly an alias).</param>
/// <param name="Stack">The stack when it is available.</param>
/// <param name="Reason">Why the stack is unavailable; null when it is available.</param>
public sealed record ModelStackResolution(string RequestedId, ModelStack? Stack, string? Reason)
{
    /// <summary>True when <see cref="Stack"/> can be called.</summary>
    [MemberNotNullWhen(true, nameof(Stack))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Available => Stack is not null;
}

/// <summary>One line of <c>GET /v1/model-stacks</c>: a configured stack or an alias, and whether it can be used.</summary>
/// <param name="Id">The stack id or alias.</param>
/// <param name="Provider">The provider serving it (for an alias, its target's); null when unknown.</param>
/// <param name="Model">The model name (for an alias, its target's); null when unknown.</param>
/// <param name="Available">True when runs can use it.</param>
/// <param name="Reason">Why it is unavailable; null when available.</param>
/// <param name="AliasOf">For an alias, the stack id it resolves to; null for a stack.</param>
public sealed record ModelStackInfo(string Id, string? Provider, string? Model, bool Available, string? Reason, string? AliasOf);
