using Agentry.Core.Organizations;
using Microsoft.Extensions.Options;

namespace Agentry.Server.Hosting;

/// <summary>
/// Prepares a node at start, before it serves requests: makes sure the default organization and its admin key
/// exist, and on first start seeds the sample agents. A generated admin key is printed once and written to
/// <c>&lt;DataDir&gt;/admin.key</c> readable by the owner only; later starts find the organization and create nothing.
/// </summary>
internal sealed class AgentryBootstrapper(
    OrganizationService organizations,
    SampleAgentSeeder samples,
    OperatorConsole console,
    IOptions<AgentryServerOptions> options,
    IConfiguration configuration,
    ILogger<AgentryBootstrapper> logger) : IHostedService
{
    /// <summary>The file a generated admin key is written to, in the data directory.</summary>
    public const string AdminKeyFileName = "admin.key";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var result = await organizations.BootstrapAsync(settings.ConfiguredBootstrapKey, cancellationToken);
        if (!result.OrganizationCreated)
        {
            return;
        }

        Log.CreatedDefaultOrganization(logger, result.Organization.Id);
        if (result.GeneratedSecret is { } secret)
        {
            var path = WriteAdminKey(settings.DataDirFullPath, secret);
            Log.GeneratedAdminKey(logger, path);
            var url = BrowsableUrl((configuration[WebHostDefaults.ServerUrlsKey] ?? AgentryServerExtensions.DefaultUrl).Split(';')[0].TrimEnd('/'));
            console.WriteLine($"Agentry admin API key of the default organization (shown only this once; also saved to {path}):");
            console.WriteLine($"  {secret}");
            console.WriteLine($"Try it: curl -H \"X-API-Key: {secret}\" {url}/v1/agents");
            // The key rides in the fragment, which browsers never send to the server; the console takes it and drops it from the address bar.
            console.WriteLine($"Open the console: {url}/#key={Uri.EscapeDataString(secret)}");
        }

        if (settings.SeedSamples)
        {
            await samples.SeedAsync(result.Organization.Id, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A listen address a person can open: wildcard hosts (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) become localhost.</summary>
    internal static string BrowsableUrl(string listenUrl)
    {
        foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
        {
            if (listenUrl.Contains(wildcard, StringComparison.Ordinal))
            {
                return listenUrl.Replace(wildcard, "://localhost", StringComparison.Ordinal);
            }
        }

        return listenUrl;
    }

    private static string WriteAdminKey(string dataDir, string secret)
    {
        var path = Path.Combine(dataDir, AdminKeyFileName);
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 600 from the first byte, so the secret is never readable by others, not even briefly.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(path, fileOptions))
        {
            writer.WriteLine(secret);
        }

        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies only when the file is new; an old file keeps its mode unless set again.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }
}
