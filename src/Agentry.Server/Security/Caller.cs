using System.Security.Claims;
using Agentry.Core.Organizations;

namespace Agentry.Server.Security;

/// <summary>
/// Who is calling: the API key's organization, id and scopes. Handlers take it as a parameter; every service
/// call is scoped to <see cref="OrganizationId"/>, so another organization's ids answer 404.
/// </summary>
public sealed record Caller(string OrganizationId, string KeyId, IReadOnlyList<string> Scopes)
{
    internal const string OrganizationClaim = "agentry:organization";
    internal const string KeyClaim = "agentry:key";
    internal const string ScopeClaim = "agentry:scope";

    /// <summary>Binds the caller of a request that passed authentication (every API route requires it).</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ValueTask.FromResult(From(context.User));
    }

    /// <summary>The caller behind <paramref name="user"/>; null when the request carried no valid key.</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var organizationId = user.FindFirstValue(OrganizationClaim);
        var keyId = user.FindFirstValue(KeyClaim);
        return organizationId is null || keyId is null
            ? null
            : new Caller(organizationId, keyId, user.FindAll(ScopeClaim).Select(c => c.Value).ToList());
    }

    /// <summary>True when the key may do what needs <paramref name="scope"/> (admin implies all but system).</summary>
    public bool Has(string scope) => OrganizationService.HasScope(Scopes, scope);

    /// <summary>The principal for an authenticated key.</summary>
    internal static ClaimsPrincipal ToPrincipal(ApiKey key, string scheme)
    {
        var claims = new List<Claim> { new(OrganizationClaim, key.OrganizationId), new(KeyClaim, key.Id), new(ClaimTypes.Name, key.Name) };
        claims.AddRange(key.Scopes.Select(scope => new Claim(ScopeClaim, scope)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
