using Agentry.Core.Common;
using Agentry.Core.Organizations;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>Organizations (API.md, Organizations): only for keys with the <c>system</c> scope.</summary>
public static class OrganizationEndpoints
{
    public static RouteGroupBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder api)
    {
        var organizations = api.MapGroup("/organizations").WithTags("Organizations").RequireAuthorization(ApiScopes.System);

        organizations.MapPost(string.Empty, CreateOrganization)
            .WithName("CreateOrganization").WithSummary("Create an organization with its first admin key (shown once)")
            .AcceptsJson<CreateOrganizationRequest>(ApiExamples.CreateOrganization, "The new organization's name.");
        organizations.MapGet(string.Empty, ListOrganizations)
            .WithName("ListOrganizations").WithSummary("List every organization, oldest first");

        return organizations;
    }

    public static async Task<Created<CreatedOrganizationResponse>> CreateOrganization(HttpRequest request, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateOrganizationRequest>(request, cancellationToken);
        var created = await organizations.CreateOrganizationAsync(body, cancellationToken);
        var organization = created.Organization;
        return TypedResults.Created(
            $"/v1/organizations/{organization.Id}",
            new CreatedOrganizationResponse(organization.Id, organization.Name, created.Secret, organization.CreatedAt));
    }

    public static async Task<Ok<Page<Organization>>> ListOrganizations(string? limit, string? offset, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var page = ListQuery.Parse(limit, offset);
        var all = await organizations.ListOrganizationsAsync(cancellationToken);
        return TypedResults.Ok(new Page<Organization>(all.Skip(page.Offset).Take(page.Limit).ToList(), all.Count, page.Limit, page.Offset));
    }
}

/// <summary>The answer of <c>POST /v1/organizations</c>: <paramref name="ApiKey"/> is the first admin key's secret, shown only here.</summary>
public sealed record CreatedOrganizationResponse(string Id, string Name, string ApiKey, DateTimeOffset CreatedAt);
