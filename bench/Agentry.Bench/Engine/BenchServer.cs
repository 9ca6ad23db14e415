using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Core.Events;
using Agentry.Core.Storage;
using Agentry.Server;
using Agentry.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agentry.Bench.Engine;

/// <summary>
/// The real server (<c>AddAgentry</c>/<c>MapAgentry</c>, Kestrel on a random 127.0.0.1 port) hosted in this process, so the
/// harness can read the <see cref="EventWriter"/>'s counters and the store, over a fresh temporary data directory that is
/// deleted on dispose.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    public const string ApiKey = "agentry_bench_bootstrap_key_0123456789";

    private readonly WebApplication _app;
    private readonly string _dataDir;

    private BenchServer(WebApplication app, string dataDir, Uri baseAddress)
    {
        _app = app;
        _dataDir = dataDir;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens (always 127.0.0.1).</summary>
    public Uri BaseAddress { get; }

    public EventWriter Writer => _app.Services.GetRequiredService<EventWriter>();

    public IRunStore Runs => _app.Services.GetRequiredService<IRunStore>();

    /// <summary>The engine's store, counting claim transactions.</summary>
    public TimedRunStore Store => _app.Services.GetRequiredService<TimedRunStore>();

    /// <summary>Starts a server with <paramref name="synchronous"/> and <paramref name="workerConcurrency"/> workers.</summary>
    public static async Task<BenchServer> StartAsync(SqliteSynchronous synchronous, int workerConcurrency, CancellationToken cancellationToken)
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
            ["Agentry:BootstrapApiKey"] = ApiKey,
            ["Agentry:SeedSamples"] = "false",
            ["Agentry:RateLimit:RequestsPerSecond"] = "0",
            ["Agentry:Workers:Concurrency"] = workerConcurrency.ToString(CultureInfo.InvariantCulture),
            ["Agentry:Workers:ShutdownGracePeriod"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.AddAgentry();
        builder.Services.AddSingleton(new Agentry.Server.Hosting.OperatorConsole(TextWriter.Null));
        builder.Services.Configure<SqliteStoreOptions>(o => o.Synchronous = synchronous);
        // The engine resolves the last IRunStore registered: the same store, counted (claims) and timed (writer transactions).
        builder.Services.AddSingleton(sp => new TimedRunStore(sp.GetRequiredService<SqliteStore>()));
        builder.Services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<TimedRunStore>());

        var app = builder.Build();
        app.MapAgentry();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new BenchServer(app, dataDir, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>A client for the API, pooling up to <paramref name="connections"/> connections.</summary>
    public HttpClient CreateClient(int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-API-Key", ApiKey);
        return client;
    }

    /// <summary>Creates the benchmark's agent: a document agent on the offline model with a required <c>topic</c>.</summary>
    public static Task<string> CreateAgentAsync(HttpClient client, CancellationToken cancellationToken) =>
        CreateAgentAsync(client, "local/offline", "Bench research", cancellationToken);

    /// <summary>Creates a document agent on <paramref name="stackId"/> with a required <c>topic</c> and no tools.</summary>
    public static async Task<string> CreateAgentAsync(HttpClient client, string stackId, string name, CancellationToken cancellationToken)
    {
        var body = new
        {
            name,
            description = "Researches a topic (benchmark).",
            modelStackId = stackId,
            goalPrompt = "Research {{topic}} and write a short cited report.",
            inputSchema = new
            {
                type = "object",
                properties = new { topic = new { type = "string", minLength = 1 } },
                required = new[] { "topic" },
                additionalProperties = false,
            },
            resultType = "document",
        };
        using var response = await client.PostAsJsonAsync("/v1/agents", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating the agent answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync();
        TryDeleteDirectory(_dataDir);
    }

    internal static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; the figures matter more than the cleanup.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
