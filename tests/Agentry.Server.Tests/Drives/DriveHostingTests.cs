using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agentry.Core.Drives;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agentry.Server.Tests.Drives;

/// <summary>Drives across server settings and restarts: the upload limit, indexing resumed after a restart, the sample drive.</summary>
public sealed partial class DriveHostingTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "agentry-drive-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upload_OverTheConfiguredLimit_Answers413AndKeepsNothing()
    {
        await using var server = AgentryServerFactory.Create(new Dictionary<string, string?> { ["Agentry:Drives:MaxUploadBytes"] = "1024" });
        using var client = server.CreateAdminClient();
        var driveId = await client.CreateDriveAsync();

        using var tooLarge = await client.UploadAsync(driveId, "/big.txt", Encoding.ASCII.GetBytes(new string('a', 1025)));
        using var atLimit = await client.UploadAsync(driveId, "/fits.txt", Encoding.ASCII.GetBytes(new string('a', 1024)));

        await tooLarge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        (await atLimit.ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("size").GetInt64().ShouldBe(1024);
        var items = await client.GetFromJsonAsync<JsonElement>($"/v1/drives/{driveId}/items", Ct);
        items.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("path").GetString()).ShouldBe(["/fits.txt"]);
        Directory.GetFiles(Path.Combine(server.DataDir, "drives", driveId)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task Restart_ItemsLeftProcessing_AreIndexed()
    {
        string driveId, itemId;
        await using (var stopped = AgentryServerFactory.Create(dataDir: _dataDir).WithServices(WithoutBackgroundIndexing))
        {
            using var client = stopped.CreateAdminClient();
            driveId = await client.CreateDriveAsync();
            itemId = (await client.UploadTextAsync(driveId, "/later.txt", "The kakapo is a flightless parrot of New Zealand.")).Id();
            (await client.GetFromJsonElementAsync($"/v1/drives/{driveId}/items/{itemId}")).GetProperty("status").GetString().ShouldBe("processing");
        }

        await using var restarted = AgentryServerFactory.Create(dataDir: _dataDir);
        using var admin = restarted.CreateAdminClient();
        var item = await admin.WaitForIndexedAsync(driveId, itemId);

        item.GetProperty("status").GetString().ShouldBe("ready");
        (await admin.SearchIdsAsync(driveId, "kakapo")).ShouldBe([itemId]);
    }

    [Fact]
    public async Task FirstStart_SeedsTheDocsDriveAndTheResearchAgentCitesIt()
    {
        await using var server = AgentryServerFactory.Create(dataDir: _dataDir);
        using var client = server.CreateAdminClient();

        var drives = await client.GetFromJsonAsync<JsonElement>("/v1/drives", Ct);
        var drive = drives.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        drive.GetProperty("name").GetString().ShouldBe("Agentry docs");
        var items = (await client.GetFromJsonAsync<JsonElement>($"/v1/drives/{drive.Id()}/items?limit=100", Ct)).GetProperty("items").EnumerateArray().ToList();
        var docs = Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md").Select(f => "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        items.Select(i => i.GetProperty("path").GetString()).ShouldBe(docs);
        items.ShouldAllBe(i => i.GetProperty("status").GetString() == "ready");
        var agents = await client.GetFromJsonAsync<JsonElement>("/v1/agents", Ct);
        var research = agents.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "Research brief");
        research.GetProperty("drives")[0].GetProperty("driveId").GetString().ShouldBe(drive.Id());

        var run = await client.WaitForEndAsync((await client.StartRunAsync(research.Id(), new { topic = "run events and streaming" })).Id());

        run.Status().ShouldBe("done", run.ToString());
        var sources = run.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToList();
        sources.ShouldNotBeEmpty();
        sources.ShouldAllBe(url => url.StartsWith($"drive://{drive.Id()}/", StringComparison.Ordinal));
        var report = run.GetProperty("resultData").GetProperty("result").GetString()!;
        Citation().Matches(report).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()
            .ShouldBe(Enumerable.Range(1, sources.Count));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still open (SQLite's pool) only leaves a temporary directory behind.
            }
        }
    }

    private static void WithoutBackgroundIndexing(IServiceCollection services)
    {
        var indexing = services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(DriveIndexingService));
        services.Remove(indexing);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Agentry.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (with Agentry.slnx) was not found above the test binaries.");
    }

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Citation();
}
