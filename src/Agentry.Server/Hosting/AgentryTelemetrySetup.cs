using Agentry.Core.Common;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace Agentry.Server.Hosting;

/// <summary>
/// OpenTelemetry for the server: the <c>Agentry</c> activity source (a trace per run) and meter (<see cref="AgentryMetrics"/>,
/// plus the GenAI metrics of the model calls) are always collected, so every run gets a trace id; they leave the
/// process over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard <c>OTEL_*</c> variables
/// configure the exporter), and then logs go too, with their scopes (the run id of a run's work).
/// </summary>
public static class AgentryTelemetrySetup
{
    /// <summary>The environment variable (or configuration key) that turns the OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddAgentryTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AgentryMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("agentry"))
            .WithTracing(tracing => tracing.AddSource(AgentryTelemetry.Name))
            .WithMetrics(metrics => metrics.AddMeter(AgentryTelemetry.Name));
        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
            telemetry.UseOtlpExporter();
        }

        return builder;
    }
}
