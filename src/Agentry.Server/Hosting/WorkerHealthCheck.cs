using Agentry.Core.Execution;
using Agentry.Core.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Agentry.Server.Hosting;

/// <summary>
/// Ready when this node's workers can take runs (<c>/readyz</c>): on a node that executes runs, the dispatcher
/// must be running. Reports the queue depth and the runs in flight either way, so an operator sees a backlog.
/// </summary>
internal sealed class WorkerHealthCheck(
    IEnumerable<IHostedService> hostedServices,
    ActiveRuns activeRuns,
    IRunStore runs,
    IOptions<WorkerOptions> workers) : IHealthCheck
{
    private readonly RunDispatcher? _dispatcher = hostedServices.OfType<RunDispatcher>().SingleOrDefault();

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["queueDepth"] = await runs.CountPendingAsync(cancellationToken),
            ["activeRuns"] = activeRuns.Count,
            ["concurrency"] = _dispatcher is null ? 0 : workers.Value.Concurrency,
        };
        if (_dispatcher is null)
        {
            return HealthCheckResult.Healthy("This node serves the API only (Agentry:Role = api); other nodes execute runs.", data);
        }

        return _dispatcher.ExecuteTask is { IsCompleted: false }
            ? HealthCheckResult.Healthy("Workers are taking runs.", data)
            : HealthCheckResult.Unhealthy("The run dispatcher is not running; this node takes no runs.", exception: _dispatcher.ExecuteTask?.Exception, data);
    }
}
