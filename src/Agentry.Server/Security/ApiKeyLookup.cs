using Agentry.Core.Organizations;
using Microsoft.Extensions.Caching.Memory;

namespace Agentry.Server.Security;

/// <summary>
/// Finds the active key for a secret, remembering answers (found or not) for <see cref="CacheDuration"/> so that
/// a busy client costs one store lookup every few seconds rather than one per request. A key revoked through this
/// node is forgotten at once; one revoked through another node stops working within <see cref="CacheDuration"/>.
/// </summary>
public sealed class ApiKeyLookup(OrganizationService organizations, IMemoryCache cache)
{
    /// <summary>How long an answer is reused.</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(2);

    /// <summary>The active key whose secret is <paramref name="secret"/>; null when unknown or revoked.</summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken cancellationToken)
    {
        var cacheKey = CacheKey(ApiKeyHasher.Hash(secret));
        if (cache.TryGetValue(cacheKey, out ApiKey? key))
        {
            return key;
        }

        key = await organizations.AuthenticateAsync(secret, cancellationToken);
        cache.Set(cacheKey, key, CacheDuration);
        return key;
    }

    /// <summary>Forgets the answer for a key, after it was revoked.</summary>
    public void Forget(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        cache.Remove(CacheKey(key.KeyHash));
    }

    private static string CacheKey(string keyHash) => "agentry:api-key:" + keyHash;
}
