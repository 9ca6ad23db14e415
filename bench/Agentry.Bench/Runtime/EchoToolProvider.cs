using Agentry.Core.Runtime;
using Microsoft.Extensions.AI;

namespace Agentry.Bench.Runtime;

/// <summary>
/// Offers the trivial <c>echo</c> tool to runs on a <c>bench/</c> stack only, so the <c>local/offline</c> comparison
/// runs exactly as it does in production (no extra tool offered).
/// </summary>
internal sealed class EchoToolProvider : IAgentToolProvider
{
    public const string ToolName = "echo";

    private static readonly IReadOnlyList<AIFunction> Tools =
    [
        AIFunctionFactory.Create(static (string text) => text, ToolName, "Returns its input unchanged."),
    ];

    public ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(
            context.Revision.Config.ModelStackId.StartsWith("bench/", StringComparison.Ordinal) ? Tools : []);
    }
}
