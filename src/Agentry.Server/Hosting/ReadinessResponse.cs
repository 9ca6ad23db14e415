using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Agentry.Server.Hosting;

/// <summary>
/// Writes <c>/readyz</c> as JSON — the overall status and each check's status, description and figures (queue depth,
/// runs in flight) — so an operator or a load balancer's log shows why a node is not ready. Exceptions stay in the log.
/// </summary>
internal static class ReadinessResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                static e => e.Key,
                static e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }
}
