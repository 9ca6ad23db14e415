using Agentry.Core.Common;
using Agentry.Core.Organizations;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Agentry.Server.Endpoints;

/// <summary>The organization's API keys (API.md, Authentication): <c>admin</c> scope. Secrets appear only in the create answer.</summary>
public static class ApiKeyEndpoints
{
    public static RouteGroupBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireAuthorization(ApiScopes.Admin);

        keys.MapPost(string.Empty, CreateApiKey)
            .WithName("CreateApiKey").WithSummary("Create a key; its secret is in this answer only")
            .AcceptsJson<CreateApiKeyRequest>(ApiExamples.CreateApiKey, $"A name and at least one scope of: {string.Join(", ", ApiScopes.All)}.")
            .ProducesProblems(403, "The key lacks the `admin` scope, or asks for `system` without having it (`forbidden`).");
        keys.MapGet(string.Empty, ListApiKeys)
            .WithName("ListApiKeys").WithSummary("List the organization's active keys, oldest first");
        keys.MapDelete("/{keyId}", RevokeApiKey)
            .WithName("RevokeApiKey").WithSummary("Revoke a key; it answers 401 from then on");

        return keys;
    }

    public static async Task<Created<CreatedApiKeyResponse>> CreateApiKey(HttpRequest request, Caller caller, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateApiKeyRequest>(request, cancellationToken);
        var created = await organizations.CreateKeyAsync(caller.OrganizationId, caller.Scopes.ToList(), body, cancellationToken);
        var key = created.Key;
        return TypedResults.Created($"/v1/api-keys/{key.Id}", new CreatedApiKeyResponse(key.Id, key.Name, key.Scopes, created.Secret, key.CreatedAt));
    }

    public static async Task<Ok<Page<ApiKeyResponse>>> ListApiKeys(string? limit, string? offset, Caller caller, OrganizationService organizations, CancellationToken cancellationToken)
    {
        var page = ListQuery.Parse(limit, offset);
        var keys = await organizations.ListKeysAsync(caller.OrganizationId, cancellationToken);
        var items = keys.Skip(page.Offset).Take(page.Limit).Select(k => new ApiKeyResponse(k.Id, k.Name, k.Scopes, k.CreatedAt)).ToList();
        return TypedResults.Ok(new Page<ApiKeyResponse>(items, keys.Count, page.Limit, page.Offset));
    }

    public static async Task<NoContent> RevokeApiKey(string keyId, Caller caller, OrganizationService organizations, ApiKeyLookup lookup, CancellationToken cancellationToken)
    {
        var revoked = await organizations.RevokeKeyAsync(caller.OrganizationId, keyId, cancellationToken);
        lookup.Forget(revoked);
        return TypedResults.NoContent();
    }
}

/// <summary>A key as listed: never its secret or hash.</summary>
public sealed record ApiKeyResponse(string Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);

/// <summary>The answer of <c>POST /v1/api-keys</c>: <paramref name="Key"/> is the secret, shown only here.</summary>
public sealed record CreatedApiKeyResponse(string Id, string Name, IReadOnlyList<string> Scopes, string Key, DateTimeOffset CreatedAt);
