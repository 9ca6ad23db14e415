using Agentry.Core.Common;
using Agentry.Core.Tools.Mcp;
using Agentry.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>The node's MCP servers (API.md, MCP servers) with their tools, for the agent editor's tool picker.</summary>
public static class McpServerEndpoints
{
    public static RouteGroupBuilder MapMcpServerEndpoints(this IEndpointRouteBuilder api)
    {
        var servers = api.MapGroup("/mcp-servers").WithTags("MCP servers");

        servers.MapGet(string.Empty, ListMcpServers)
            .WithName("ListMcpServers").WithSummary("Every configured MCP server with its tools, or why it cannot be reached");

        return servers;
    }

    public static async Task<Ok<Page<McpServerInfo>>> ListMcpServers(string? limit, string? offset, McpServerRegistry registry, CancellationToken cancellationToken)
    {
        var page = ListQuery.Parse(limit, offset);
        var servers = await registry.DescribeAsync(cancellationToken);
        return TypedResults.Ok(new Page<McpServerInfo>(servers.Skip(page.Offset).Take(page.Limit).ToList(), servers.Count, page.Limit, page.Offset));
    }
}
