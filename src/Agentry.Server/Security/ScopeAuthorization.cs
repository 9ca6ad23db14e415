using Agentry.Core.Common;
using Agentry.Core.Organizations;
using Agentry.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Agentry.Server.Security;

/// <summary>Requires a scope; an <c>admin</c> key has every scope of its organization except <c>system</c>.</summary>
public sealed record ScopeRequirement(string Scope) : IAuthorizationRequirement;

/// <summary>Checks <see cref="ScopeRequirement"/>s against the caller's key.</summary>
internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (Caller.From(context.User) is { } caller && caller.Has(requirement.Scope))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"This API key lacks the '{requirement.Scope}' scope."));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Answers failed authentication and authorization with the API's 401 and 403 problems.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Challenged)
        {
            // The handler caches its result per request, so this does not look the key up again.
            var failure = (await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName)).Failure;
            var message = failure?.Message ?? "An API key is required: send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.";
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiProblems.WriteAsync(context, 401, ProblemCodes.Unauthorized, message);
        }
        else if (authorizeResult.Forbidden)
        {
            var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToList() ?? [];
            var message = reasons.Count > 0 ? string.Join(" ", reasons) : "This API key may not do this.";
            await ApiProblems.WriteAsync(context, 403, ProblemCodes.Forbidden, message);
        }
        else
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}

/// <summary>Registers the API key scheme and one policy per scope, named after the scope.</summary>
public static class ApiKeyAuthenticationExtensions
{
    /// <summary>
    /// Adds API key authentication, a fallback policy that requires a key on every endpoint (opt out with
    /// <c>AllowAnonymous</c>), and a policy per scope in <see cref="ApiScopes.All"/>, so an endpoint requires a
    /// scope with <c>.RequireAuthorization(ApiScopes.RunsWrite)</c>.
    /// </summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<ApiKeyLookup>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        var authorization = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        foreach (var scope in ApiScopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }

        return services;
    }
}
