using Microsoft.Extensions.AI;

namespace Agentry.Core.Runtime;

/// <summary>
/// Supplies the functions a run's model may call (builtin tools, drives, MCP servers). The loop asks every registered
/// provider at the start of a run and offers the union to the model; each call becomes a <c>tool_call</c> event.
/// </summary>
public interface IAgentToolProvider
{
    /// <summary>The tools for this run, from its revision's <c>tools</c> and <c>drives</c>; empty when none apply.</summary>
    ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken);
}
