using Agentry.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agentry.Server.Hosting;

/// <summary>Ready when the store answers a query (<c>/readyz</c>).</summary>
internal sealed class StoreHealthCheck(IOrganizationStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // Any query proves the store reachable; looking up an id that cannot exist reads no data.
            await store.GetAsync("org_readyz", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The store is not reachable.", ex);
        }
    }
}
