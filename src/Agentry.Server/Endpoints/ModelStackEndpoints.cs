using Agentry.Core.Common;
using Agentry.Core.Models;
using Agentry.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>The node's model stacks (API.md, Model stacks), for the agent editor's picker.</summary>
public static class ModelStackEndpoints
{
    public static RouteGroupBuilder MapModelStackEndpoints(this IEndpointRouteBuilder api)
    {
        var stacks = api.MapGroup("/model-stacks").WithTags("Model stacks");

        stacks.MapGet(string.Empty, ListModelStacks)
            .WithName("ListModelStacks").WithSummary("Every configured model stack and alias, with whether it is available and why not");

        return stacks;
    }

    public static Ok<Page<ModelStackInfo>> ListModelStacks(string? limit, string? offset, IModelStackRegistry registry)
    {
        var page = ListQuery.Parse(limit, offset);
        var stacks = registry.Describe();
        return TypedResults.Ok(new Page<ModelStackInfo>(stacks.Skip(page.Offset).Take(page.Limit).ToList(), stacks.Count, page.Limit, page.Offset));
    }
}
