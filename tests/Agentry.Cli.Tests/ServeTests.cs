using System.Net;
using System.Net.Sockets;
using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class ServeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_ServerSettingsOnTheCommandLine_RunsTheServerInProcess()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var address = new Uri($"http://127.0.0.1:{port}");
        using var cli = new AgentryCli(address, AgentryServerProcess.BootstrapKey);
        var dataDir = Path.Combine(cli.ConfigHome, "data");
        using var serve = cli.Start(["serve", "--urls", address.ToString(), $"--Agentry:DataDir={dataDir}", $"--Agentry:BootstrapApiKey={AgentryServerProcess.BootstrapKey}"]);
        var output = serve.StandardOutput.ReadToEndAsync(Ct);
        try
        {
            using var http = new HttpClient { BaseAddress = address };
            while (true)
            {
                serve.HasExited.ShouldBeFalse($"agentry serve exited: {(serve.HasExited ? await output : "")}");
                try
                {
                    if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative), Ct)).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(200, Ct);
            }

            var agents = await cli.RunAsync("agents", "list", "--json");

            agents.ExitCode.ShouldBe(0, agents.ToString());
            agents.Json.GetArrayLength().ShouldBe(2);
            File.Exists(Path.Combine(dataDir, "agentry.db")).ShouldBeTrue();
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync(Ct);
        }
    }
}
