using Agentry.Core.Agents;
using Agentry.Core.Analytics;
using Agentry.Core.Common;
using Agentry.Core.Drives;
using Agentry.Core.Execution;
using Agentry.Core.Organizations;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tools;
using Agentry.Server.Endpoints;
using Agentry.Server.Hosting;
using Agentry.Server.Http;
using Agentry.Server.OpenApi;
using Agentry.Server.Security;
using Agentry.Sqlite;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Agentry.Server;

/// <summary>The composition of the host: <see cref="AddAgentry"/> registers everything, <see cref="MapAgentry"/> builds the pipeline.</summary>
public static class AgentryServerExtensions
{
    /// <summary>Where the server listens when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c>/<c>ASPNETCORE_HTTP_PORTS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5170";

    /// <summary>The SQLite file's name in <c>Agentry:DataDir</c>.</summary>
    public const string DatabaseFileName = "agentry.db";

    /// <summary>The folder of drive files in <c>Agentry:DataDir</c>, unless <c>Agentry:Drives:RootDirectory</c> names another.</summary>
    public const string DrivesDirectoryName = "drives";

    /// <summary>
    /// Registers the store (SQLite in <c>Agentry:DataDir</c>), the runtime and engine, the API's services, JSON
    /// settings, errors, authentication, rate limiting, health checks and the start-up bootstrap.
    /// </summary>
    public static WebApplicationBuilder AddAgentry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        if (string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
            && string.IsNullOrEmpty(configuration["HTTP_PORTS"])
            && string.IsNullOrEmpty(configuration["HTTPS_PORTS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        services.AddOptions<AgentryServerOptions>()
            .Bind(configuration.GetSection(AgentryServerOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDir), "Agentry:DataDir must name a directory.")
            .Validate(o => o.ConfiguredBootstrapKey is null || (o.ConfiguredBootstrapKey.Length >= 16 && !o.ConfiguredBootstrapKey.Any(char.IsWhiteSpace)), "Agentry:BootstrapApiKey must be at least 16 characters without spaces.")
            .Validate(o => o.Limits.MaxJsonBodyBytes > 0, "Agentry:Limits:MaxJsonBodyBytes must be positive.")
            .Validate(o => o.RateLimit.RequestsPerSecond >= 0, "Agentry:RateLimit:RequestsPerSecond must be 0 (off) or positive.")
            .ValidateOnStart();

        // The store's file lives in the data directory, which is created on first use.
        services.AddAgentrySqlite(_ => { });
        services.AddOptions<SqliteStoreOptions>().Configure<IOptions<AgentryServerOptions>>((sqlite, agentry) =>
        {
            var dataDir = Directory.CreateDirectory(agentry.Value.DataDirFullPath).FullName;
            sqlite.DataSource = Path.Combine(dataDir, DatabaseFileName);
        });
        services.AddAgentryRuntime(configuration);
        services.AddAgentryTools(configuration);
        services.AddAgentryEngine(configuration);
        services.AddAgentryDrives(configuration);
        services.AddOptions<DrivesOptions>().Configure<IOptions<AgentryServerOptions>>((drives, agentry) =>
        {
            if (string.IsNullOrWhiteSpace(drives.RootDirectory))
            {
                drives.RootDirectory = Path.Combine(agentry.Value.DataDirFullPath, DrivesDirectoryName);
            }
        });
        // Stopping must outlast the workers' grace period, so in-flight runs can finish or give their leases back.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, workers) =>
        {
            var needed = workers.Value.ShutdownGracePeriod + TimeSpan.FromSeconds(15);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IdGenerator>();
        services.TryAddSingleton<OrganizationService>();
        services.TryAddSingleton<AgentConfigValidator>();
        services.TryAddSingleton<AgentService>();
        services.TryAddSingleton<AnalyticsService>();
        services.TryAddSingleton<RunFeedbackService>();

        services.ConfigureHttpJsonOptions(options => AgentryJson.Configure(options.SerializerOptions));
        // Registered before AddProblemDetails so it is the writer used for every problem, whatever the Accept header.
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddApiKeyAuthentication();
        services.AddApiRateLimiting();
        services.AddAgentryOpenApi();
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<WorkerHealthCheck>("workers", tags: [ReadyTag]);

        builder.AddAgentryTelemetry();

        services.TryAddSingleton(new OperatorConsole(Console.Out));
        services.AddSingleton<SampleAgentSeeder>();
        services.AddHostedService<AgentryBootstrapper>();
        return builder;
    }

    /// <summary>
    /// Builds the pipeline — errors as problems, authentication, per-key rate limits, authorization — and maps
    /// <c>/healthz</c>, <c>/readyz</c>, <c>/openapi/v1.json</c> and <c>/docs</c> (all without a key) and the API (<see cref="ApiRoutes"/>).
    /// </summary>
    public static WebApplication MapAgentry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAgentryConsole();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous().WithName("Healthz").WithSummary("200 while the process is up");
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = ReadinessResponse.WriteAsync })
            .AllowAnonymous().WithName("Readyz").WithSummary("200 when the store is reachable and the workers take runs, 503 otherwise; JSON with the queue depth");
        app.MapAgentryApiReference();
        app.MapAgentryApi();
        return app;
    }

    private const string ReadyTag = "ready";
}
