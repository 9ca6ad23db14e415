using System.Globalization;
using System.Threading.RateLimiting;
using Agentry.Core.Common;
using Agentry.Server.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Agentry.Server.Security;

/// <summary>
/// Limits each API key to <c>Agentry:RateLimit:RequestsPerSecond</c> with a token bucket of the same size (so a
/// quiet key may burst one second's worth); over the limit a request answers 429 <c>rate_limited</c> with
/// <c>Retry-After</c>. Requests without a valid key are not limited here: they end at authentication with 401.
/// </summary>
public static class ApiRateLimiting
{
    /// <summary>Registers the limiter; it needs <c>UseAuthentication</c> before <c>UseRateLimiter</c> to see the key.</summary>
    public static IServiceCollection AddApiRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<AgentryServerOptions>>((limiter, agentry) =>
        {
            var perSecond = agentry.Value.RateLimit.RequestsPerSecond;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRejectedAsync;
            if (perSecond > 0)
            {
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    Caller.From(context.User) is { } caller
                        ? RateLimitPartition.GetTokenBucketLimiter(caller.KeyId, _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = perSecond,
                            TokensPerPeriod = perSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        })
                        : RateLimitPartition.GetNoLimiter(string.Empty));
            }
        });
        return services;
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiProblems.WriteAsync(
            context.HttpContext,
            StatusCodes.Status429TooManyRequests,
            ProblemCodes.RateLimited,
            $"Too many requests for this API key; retry after {seconds} s.");
    }
}
