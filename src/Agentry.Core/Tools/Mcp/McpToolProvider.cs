using System.Text.Json;
using Agentry.Core.Runtime;
using Microsoft.Extensions.AI;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Agentry.Core.Tools.Mcp;

/// <summary>
/// Offers the tools of the MCP servers a run's revision lists (<c>{source:"mcp", serverId, enabledTools}</c>), under
/// their own names; only <c>enabledTools</c> when given. A server that cannot be reached offers nothing, so the loop
/// fails the run with <c>tool_unavailable</c>. A tool's error result becomes a tool error of the run.
/// </summary>
public sealed class McpToolProvider(McpServerRegistry registry) : IAgentToolProvider
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AIFunction>> GetToolsAsync(RunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tools = new List<AIFunction>();
        foreach (var spec in context.Revision.Config.Tools.Where(s => s.Source == "mcp" && s.ServerId is not null))
        {
            if (await registry.GetAsync(spec.ServerId!, cancellationToken) is not { Available: true } state)
            {
                continue;
            }

            var enabled = spec.EnabledTools is { Count: > 0 } names ? names.ToHashSet(StringComparer.Ordinal) : null;
            tools.AddRange(state.Tools.Where(t => enabled is null || enabled.Contains(t.Name)).Select(t => new McpFunction(t)));
        }

        return tools;
    }

    /// <summary>An MCP tool whose error results and protocol errors are thrown as <see cref="ToolException"/>.</summary>
    private sealed class McpFunction(McpClientTool tool) : AIFunction
    {
        public override string Name => tool.Name;

        public override string Description => tool.Description;

        public override JsonElement JsonSchema => tool.JsonSchema;

        protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            CallToolResult result;
            try
            {
                result = await tool.CallAsync(arguments.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal), cancellationToken: cancellationToken);
            }
            catch (McpException ex)
            {
                throw new ToolException(ex.Message, ex);
            }

            var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
            if (result.IsError == true)
            {
                throw new ToolException(text.Length == 0 ? $"The MCP tool '{tool.Name}' failed." : text);
            }

            return result.StructuredContent is { } structured && text.Length == 0 ? structured : text;
        }
    }
}
