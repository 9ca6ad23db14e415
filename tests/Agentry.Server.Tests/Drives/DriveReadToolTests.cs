using System.Net.Http.Json;
using System.Text.Json;
using Agentry.Core.Drives;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tools;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;
using Microsoft.Extensions.DependencyInjection;

namespace Agentry.Server.Tests.Drives;

/// <summary>
/// What <c>readDriveFile</c> does with the server's real store: windows with continuation, lookup by id or path
/// within the agent's drives only, one source per file.
/// </summary>
public sealed class DriveReadToolTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_LongFile_ComesInWindowsThatJoinUpToTheWholeText_AndIsOneSource()
    {
        var (organizationId, driveId) = await CreateDriveAsync();
        var text = string.Join("\n\n", Enumerable.Range(0, 300).Select(i => $"Paragraph {i} says something about the long file in a full sentence."));
        var item = await _client.AddReadyFileAsync(driveId, "/long.txt", text);
        var drives = server.Services.GetRequiredService<DriveService>();
        var events = new CountingSink();
        var sources = new RunSources(events);

        var windows = new List<DriveReadResult>();
        int? offset = 0;
        while (offset is { } next)
        {
            var window = await drives.ReadAsync(organizationId, [driveId], item.Id(), null, next, 5000, sources, Ct);
            windows.Add(window);
            offset = window.NextOffset;
        }

        windows.Count.ShouldBe((int)Math.Ceiling(text.Length / 5000.0));
        string.Concat(windows.Select(w => w.Text)).ShouldBe(text);
        windows.ShouldAllBe(w => w.TotalChars == text.Length && w.Citation == 1 && w.SourceUrl == $"drive://{driveId}/long.txt");
        sources.Snapshot().ShouldHaveSingleItem().Url.ShouldBe($"drive://{driveId}/long.txt");
        events.Sources.ShouldBe(1);
    }

    [Fact]
    public async Task Read_ByPath_FindsTheFileInTheFirstDriveThatHasIt()
    {
        var (organizationId, first) = await CreateDriveAsync();
        var second = await _client.CreateDriveAsync("Second");
        await _client.AddReadyFileAsync(first, "/same.txt", "The first drive's copy of the file.");
        await _client.AddReadyFileAsync(second, "/same.txt", "The second drive's copy of the file.");
        var drives = server.Services.GetRequiredService<DriveService>();

        var read = await drives.ReadAsync(organizationId, [second, first], null, "same.txt", null, null, new RunSources(new CountingSink()), Ct);

        read.DriveId.ShouldBe(second);
        read.Text.ShouldBe("The second drive's copy of the file.");
        read.NextOffset.ShouldBeNull();
    }

    [Fact]
    public async Task Read_OutsideTheAgentsDrives_OrOutOfRange_IsAToolErrorTheModelCanActOn()
    {
        var (organizationId, driveId) = await CreateDriveAsync();
        var otherDrive = await _client.CreateDriveAsync("Not the agent's");
        var item = await _client.AddReadyFileAsync(otherDrive, "/x.txt", "Outside the agent's drives.");
        var other = await server.CreateOrganizationAsync("Reader org");
        var drives = server.Services.GetRequiredService<DriveService>();
        var sources = new RunSources(new CountingSink());

        (await Should.ThrowAsync<ToolException>(() => drives.ReadAsync(organizationId, [driveId], item.Id(), null, null, null, sources, Ct)))
            .Message.ShouldContain("searchDrives");
        await Should.ThrowAsync<ToolException>(() => drives.ReadAsync(other.Id, [otherDrive], item.Id(), null, null, null, sources, Ct));
        (await Should.ThrowAsync<ToolException>(() => drives.ReadAsync(organizationId, [otherDrive], item.Id(), null, null, 20_001, sources, Ct)))
            .Message.ShouldContain("maxChars");
        (await Should.ThrowAsync<ToolException>(() => drives.ReadAsync(organizationId, [otherDrive], null, null, null, null, sources, Ct)))
            .Message.ShouldContain("itemId");
        sources.Snapshot().ShouldBeEmpty();
    }

    private async Task<(string OrganizationId, string DriveId)> CreateDriveAsync()
    {
        var organizations = await _client.GetFromJsonAsync<JsonElement>("/v1/organizations", Ct);
        var organizationId = organizations.GetProperty("items")[0].Id();
        return (organizationId, await _client.CreateDriveAsync("Agent's drive"));
    }

    /// <summary>Counts the source events a run would get.</summary>
    private sealed class CountingSink : IRunEventSink
    {
        private int _seq;

        public int Sources { get; private set; }

        public RunUsage Usage => RunUsage.Zero;

        public string? Model => null;

        public int LastSeq => _seq;

        public int Append(string type, JsonElement data, bool inProgress = false)
        {
            if (type == "source")
            {
                Sources++;
            }

            return ++_seq;
        }

        public void Complete(int seq, JsonElement data)
        {
        }

        public void ReportUsage(RunUsage usage, string? model)
        {
        }
    }
}
