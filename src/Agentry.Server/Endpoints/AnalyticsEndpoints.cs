using Agentry.Core.Analytics;
using Agentry.Core.Organizations;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>
/// Analytics (API.md, Analytics): an agent's figures, the organization's overview and an agent's revisions side by
/// side, answered from the rollups. Needs <c>runs:read</c>.
/// </summary>
public static class AnalyticsEndpoints
{
    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder api)
    {
        var analytics = api.MapGroup("/analytics").WithTags("Analytics");
        analytics.MapGet("/agents/{agentId}", GetAgentAnalytics)
            .WithName("GetAgentAnalytics").WithSummary("An agent's run figures in total and per hour or day, filtered by revision and model")
            .WithParameters(ApiParameters.AnalyticsFrom, ApiParameters.AnalyticsTo, ApiParameters.AnalyticsBucket, ApiParameters.AnalyticsTimeZone,
                ApiParameters.AnalyticsRevisionId, ApiParameters.AnalyticsModel)
            .RequireAuthorization(ApiScopes.RunsRead);
        analytics.MapGet("/agents/{agentId}/revisions", CompareRevisions)
            .WithName("CompareAgentRevisions").WithSummary("Each revision of an agent with its run figures, side by side")
            .WithParameters(ApiParameters.AnalyticsFrom, ApiParameters.AnalyticsTo, ApiParameters.AnalyticsTimeZone)
            .RequireAuthorization(ApiScopes.RunsRead);
        analytics.MapGet("/overview", GetOverview)
            .WithName("GetAnalyticsOverview").WithSummary("The run figures of every agent of the organization in total and per hour or day")
            .WithParameters(ApiParameters.AnalyticsFrom, ApiParameters.AnalyticsTo, ApiParameters.AnalyticsBucket, ApiParameters.AnalyticsTimeZone)
            .RequireAuthorization(ApiScopes.RunsRead);
        return api;
    }

    public static async Task<Ok<AnalyticsReport>> GetAgentAnalytics(
        string agentId, string? from, string? to, string? bucket, string? tz, string? revisionId, string? model,
        Caller caller, AnalyticsService analytics, CancellationToken cancellationToken) =>
        TypedResults.Ok(await analytics.GetAgentReportAsync(
            caller.OrganizationId, agentId, new AnalyticsParameters(from, to, bucket, tz), revisionId, model, cancellationToken));

    public static async Task<Ok<RevisionComparison>> CompareRevisions(
        string agentId, string? from, string? to, string? tz, Caller caller, AnalyticsService analytics, CancellationToken cancellationToken) =>
        TypedResults.Ok(await analytics.CompareRevisionsAsync(caller.OrganizationId, agentId, new AnalyticsParameters(from, to, null, tz), cancellationToken));

    public static async Task<Ok<AnalyticsReport>> GetOverview(
        string? from, string? to, string? bucket, string? tz, Caller caller, AnalyticsService analytics, CancellationToken cancellationToken) =>
        TypedResults.Ok(await analytics.GetOverviewAsync(caller.OrganizationId, new AnalyticsParameters(from, to, bucket, tz), cancellationToken));
}
