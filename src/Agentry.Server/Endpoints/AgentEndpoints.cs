using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Common;
using Agentry.Core.Organizations;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>Agents and their revisions (API.md, Agents). Reading needs any key of the organization; changing needs <c>agents:write</c>.</summary>
public static class AgentEndpoints
{
    public static RouteGroupBuilder MapAgentEndpoints(this IEndpointRouteBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents");

        agents.MapPost(string.Empty, CreateAgent)
            .WithName("CreateAgent").WithSummary("Create an agent and its first revision")
            .AcceptsJson<AgentWrite>(ApiExamples.CreateAgent, "The agent. Only `modelStackId`, `goalPrompt`, `inputSchema` and `resultType` are required; `resultSchema` is required for `json` results and refused otherwise.")
            .ProducesProblems(422, InvalidAgent)
            .RequireAuthorization(ApiScopes.AgentsWrite);
        agents.MapGet(string.Empty, ListAgents)
            .WithName("ListAgents").WithSummary("List the organization's agents that are not deleted, newest first");
        agents.MapGet("/{agentId}", GetAgent)
            .WithName("GetAgent").WithSummary("Get an agent with the configuration of its latest revision");
        agents.MapPatch("/{agentId}", UpdateAgent)
            .WithName("UpdateAgent").WithSummary("Partially update an agent; a configuration change makes a new revision")
            .AcceptsJson<AgentWrite>(ApiExamples.UpdateAgent, "The fields to change, merged over the agent; a change of name, description, webhook or `isActive` alone makes no revision.")
            .ProducesProblems(409, ConcurrentChange)
            .ProducesProblems(422, InvalidAgent)
            .RequireAuthorization(ApiScopes.AgentsWrite);
        agents.MapDelete("/{agentId}", DeleteAgent)
            .WithName("DeleteAgent").WithSummary("Soft-delete an agent; its runs stay readable")
            .ProducesProblems(409, ConcurrentChange)
            .RequireAuthorization(ApiScopes.AgentsWrite);
        agents.MapGet("/{agentId}/revisions", ListRevisions)
            .WithName("ListAgentRevisions").WithSummary("List an agent's revisions, newest first");
        agents.MapGet("/{agentId}/revisions/diff", DiffRevisions)
            .WithName("DiffAgentRevisions").WithSummary("The configuration fields that differ between two revisions")
            .WithParameters(ApiParameters.DiffFrom, ApiParameters.DiffTo);
        agents.MapGet("/{agentId}/revisions/{revisionId}", GetRevision)
            .WithName("GetAgentRevision").WithSummary("Get one revision with its configuration");
        agents.MapPost("/{agentId}/publish", Publish)
            .WithName("PublishAgent").WithSummary("Publish a revision (the latest when none is named); runs use it by default")
            .AcceptsJson<PublishRequest>(ApiExamples.Publish, "The revision to publish; without a body (or without `revisionId`) the latest.", isOptional: true)
            .ProducesProblems(409, ConcurrentChange)
            .RequireAuthorization(ApiScopes.AgentsWrite);

        return agents;
    }

    private const string InvalidAgent =
        "The configuration is invalid (`invalid_agent`: a missing or wrong field, an unknown model stack or tool, a goal prompt that does not compile) or `inputSchema`/`resultSchema` is not a valid JSON Schema (`invalid_schema`); every violation is in `errors`.";

    private const string ConcurrentChange = "Other requests kept changing the agent at the same time (`conflict`); retry.";

    public static async Task<Created<AgentResponse>> CreateAgent(HttpRequest request, Caller caller, AgentService agents, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<JsonElement>(request, cancellationToken);
        var agent = await agents.CreateAsync(caller.OrganizationId, body, cancellationToken);
        return TypedResults.Created($"/v1/agents/{agent.Id}", agent);
    }

    public static async Task<Ok<Page<AgentResponse>>> ListAgents(string? limit, string? offset, Caller caller, AgentService agents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.ListAsync(caller.OrganizationId, ListQuery.Parse(limit, offset), cancellationToken));

    public static async Task<Ok<AgentResponse>> GetAgent(string agentId, Caller caller, AgentService agents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.GetAsync(caller.OrganizationId, agentId, cancellationToken));

    public static async Task<Ok<AgentResponse>> UpdateAgent(string agentId, HttpRequest request, Caller caller, AgentService agents, CancellationToken cancellationToken)
    {
        var patch = await JsonBody.ReadAsync<JsonElement>(request, cancellationToken);
        return TypedResults.Ok(await agents.UpdateAsync(caller.OrganizationId, agentId, patch, cancellationToken));
    }

    public static async Task<NoContent> DeleteAgent(string agentId, Caller caller, AgentService agents, CancellationToken cancellationToken)
    {
        await agents.DeleteAsync(caller.OrganizationId, agentId, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<Page<RevisionSummary>>> ListRevisions(string agentId, string? limit, string? offset, Caller caller, AgentService agents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.ListRevisionsAsync(caller.OrganizationId, agentId, ListQuery.Parse(limit, offset), cancellationToken));

    public static async Task<Ok<RevisionDiff>> DiffRevisions(string agentId, string? from, string? to, Caller caller, AgentService agents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.DiffAsync(caller.OrganizationId, agentId, from, to, cancellationToken));

    public static async Task<Ok<RevisionResponse>> GetRevision(string agentId, string revisionId, Caller caller, AgentService agents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await agents.GetRevisionAsync(caller.OrganizationId, agentId, revisionId, cancellationToken));

    public static async Task<Ok<AgentResponse>> Publish(string agentId, HttpRequest request, Caller caller, AgentService agents, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadOptionalAsync<PublishRequest>(request, cancellationToken);
        return TypedResults.Ok(await agents.PublishAsync(caller.OrganizationId, agentId, body?.RevisionId, cancellationToken));
    }
}
