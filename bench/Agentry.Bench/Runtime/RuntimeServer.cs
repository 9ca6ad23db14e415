using System.Globalization;
using Agentry.Bench.Engine;
using Agentry.Core.Events;
using Agentry.Core.Execution;
using Agentry.Core.Models;
using Agentry.Core.Runtime;
using Agentry.Core.Storage;
using Agentry.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agentry.Bench.Runtime;

/// <summary>
/// The real server hosted in this process on a random 127.0.0.1 port, as <see cref="BenchServer"/>, plus the bench-only
/// model provider <c>bench</c> (stacks <see cref="ZeroStackId"/> and <see cref="SlowStackId"/>) and the <c>echo</c>
/// tool provider; over a fresh temporary data directory deleted on dispose.
/// </summary>
internal sealed class RuntimeServer : IAsyncDisposable
{
    /// <summary>The zero-latency fake model.</summary>
    public const string ZeroStackId = "bench/zero";

    /// <summary>The fake model that waits <see cref="SlowDelay"/> before every answer.</summary>
    public const string SlowStackId = "bench/slow";

    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private readonly string _dataDir;

    private RuntimeServer(WebApplication app, string dataDir, Uri baseAddress)
    {
        _app = app;
        _dataDir = dataDir;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public EventWriter Writer => _app.Services.GetRequiredService<EventWriter>();

    public IRunStore Runs => _app.Services.GetRequiredService<IRunStore>();

    /// <summary>The runs this node is executing.</summary>
    public ActiveRuns Active => _app.Services.GetRequiredService<ActiveRuns>();

    public static async Task<RuntimeServer> StartAsync(int workerConcurrency, CancellationToken cancellationToken)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "agentry-bench", Guid.NewGuid().ToString("N"));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            ["Agentry:DataDir"] = dataDir,
            ["Agentry:BootstrapApiKey"] = BenchServer.ApiKey,
            ["Agentry:SeedSamples"] = "false",
            ["Agentry:RateLimit:RequestsPerSecond"] = "0",
            ["Agentry:Workers:Concurrency"] = workerConcurrency.ToString(CultureInfo.InvariantCulture),
            ["Agentry:Workers:ShutdownGracePeriod"] = "00:00:05",
            [$"Agentry:Models:Stacks:{ZeroStackId}:Provider"] = BenchModelProvider.ProviderName,
            [$"Agentry:Models:Stacks:{SlowStackId}:Provider"] = BenchModelProvider.ProviderName,
            [$"Agentry:Models:Stacks:{SlowStackId}:StepDelayMs"] = ((int)SlowDelay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",

            // The remote stacks are unavailable here (no keys), which the registry says at every start; that is expected.
            ["Logging:LogLevel:Agentry.Core.Models.ModelStackRegistry"] = "Error",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.AddAgentry();
        builder.Services.AddSingleton(new Agentry.Server.Hosting.OperatorConsole(TextWriter.Null));
        builder.Services.AddSingleton<IModelProvider, BenchModelProvider>();
        builder.Services.AddSingleton<IAgentToolProvider, EchoToolProvider>();

        var app = builder.Build();
        app.MapAgentry();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new RuntimeServer(app, dataDir, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public HttpClient CreateClient(int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-API-Key", BenchServer.ApiKey);
        return client;
    }

    /// <summary>Creates a document agent on <paramref name="stackId"/> with a required <c>topic</c>; no tools configured.</summary>
    public static Task<string> CreateAgentAsync(HttpClient client, string stackId, CancellationToken cancellationToken) =>
        BenchServer.CreateAgentAsync(client, stackId, $"Bench runtime {stackId}", cancellationToken);

    /// <summary>Stops the host (the dispatcher drains for its grace period, then cancels what still runs) and deletes the data.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
        BenchServer.TryDeleteDirectory(_dataDir);
    }
}
