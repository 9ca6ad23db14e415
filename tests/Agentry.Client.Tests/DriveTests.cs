using System.Net;
using System.Text;
using System.Text.Json;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Client.Tests;

public sealed class DriveTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly AgentryClient _client = fixture.Server.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadDriveItem_SeveralFileTypes_BecomeReadyAndSearchableUntilDeleted()
    {
        var drive = await _client.CreateDriveAsync("Handbook", Ct);
        var files = new (string Name, string Path, string Text)[]
        {
            ("travel.md", "/policies/travel.md", "# Travel\n\nEvery trip needs a zeppelin voucher approved by a manager.\n"),
            ("notes.txt", "/notes.txt", "Plain notes about quarterly budgets and the marmalade fund.\n"),
            ("office.html", "/office.html", "<html><head><title>Office</title></head><body><p>The office opens at nine with fresh croissants.</p></body></html>"),
            ("staff.csv", "/staff.csv", "name,role\nAda,engineer\nGrace,admiral\n"),
            ("config.json", "/config.json", """{"feature": "hovercraft", "enabled": true}"""),
        };
        var uploaded = new List<DriveItem>();
        foreach (var (name, path, text) in files)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            uploaded.Add(await _client.UploadDriveItemAsync(drive.Id, stream, name, new DriveUploadOptions { Path = path }, Ct));
        }

        var ready = new List<DriveItem>();
        foreach (var item in uploaded)
        {
            ready.Add(await _client.WaitForDriveItemAsync(drive.Id, item.Id, TimeSpan.FromMinutes(1), Ct));
        }

        ready.ShouldAllBe(i => i.Status == DriveItemStatus.Ready && i.IsIndexed);
        ready.Select(i => i.Path).ShouldBe(files.Select(f => f.Path));
        ready.Select(i => i.ContentType).ShouldBe(["text/markdown", "text/plain", "text/html", "text/csv", "application/json"]);
        ready.Select(i => i.Size).ShouldBe(files.Select(f => (long)Encoding.UTF8.GetByteCount(f.Text)));
        (await _client.ListDriveItemsAsync(drive.Id, cancellationToken: Ct)).Total.ShouldBe(5);
        var hits = await _client.SearchDriveAsync(drive.Id, "zeppelin", cancellationToken: Ct);
        hits.Query.ShouldBe("zeppelin");
        var hit = hits.Items.ShouldHaveSingleItem();
        hit.ItemId.ShouldBe(uploaded[0].Id);
        hit.Path.ShouldBe("/policies/travel.md");
        hit.Snippet.ShouldContain("zeppelin");
        (await _client.SearchDriveAsync(drive.Id, "croissants", 5, Ct)).Items.ShouldHaveSingleItem().Path.ShouldBe("/office.html");

        await _client.DeleteDriveItemAsync(drive.Id, uploaded[0].Id, Ct);

        (await _client.SearchDriveAsync(drive.Id, "zeppelin", cancellationToken: Ct)).Items.ShouldBeEmpty();
        (await Should.ThrowAsync<AgentryApiException>(() => _client.GetDriveItemAsync(drive.Id, uploaded[0].Id, Ct))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _client.ListDriveItemsAsync(drive.Id, cancellationToken: Ct)).Total.ShouldBe(4);
    }

    [Fact]
    public async Task UploadDriveFile_FromDiskWithMetadataAndProgress_ReportsEveryByteAndSamePathReplaces()
    {
        var drive = await _client.CreateDriveAsync("Disk", Ct);
        var file = Path.Combine(Path.GetTempPath(), $"agentry-upload-{Guid.NewGuid():N}.md");
        await File.WriteAllTextAsync(file, "# Guide\n\n" + string.Concat(Enumerable.Repeat("The setup needs a quokka. ", 4000)), Ct);
        try
        {
            var reported = new List<long>();
            var progress = new SynchronousProgress(reported);
            var options = new DriveUploadOptions
            {
                Path = "/guides/setup.md",
                Description = "How to set up",
                Metadata = JsonDocument.Parse("""{"team":"ops"}""").RootElement.Clone(),
                Progress = progress,
            };

            var first = await _client.UploadDriveFileAsync(drive.Id, file, options, Ct);
            var again = await _client.UploadDriveFileAsync(drive.Id, file, options with { Progress = null }, Ct);

            reported.ShouldNotBeEmpty();
            reported[^1].ShouldBe(new FileInfo(file).Length);
            first.Name.ShouldBe("setup.md");
            first.Description.ShouldBe("How to set up");
            first.Metadata.GetProperty("team").GetString().ShouldBe("ops");
            again.Id.ShouldBe(first.Id);
            var ready = await _client.WaitForDriveItemAsync(drive.Id, first.Id, cancellationToken: Ct);
            ready.Status.ShouldBe(DriveItemStatus.Ready);
            ready.Title.ShouldBe("Guide");
            (await _client.ListDriveItemsAsync(drive.Id, cancellationToken: Ct)).Items.ShouldHaveSingleItem().Id.ShouldBe(first.Id);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Drives_CreateListGetDelete_DeletedDriveIsNotFound()
    {
        var drive = await _client.CreateDriveAsync("Short-lived", Ct);

        (await _client.GetDriveAsync(drive.Id, Ct)).Name.ShouldBe("Short-lived");
        (await _client.ListDrivesAsync(limit: 100, cancellationToken: Ct)).Items.ShouldContain(d => d.Id == drive.Id);
        await _client.DeleteDriveAsync(drive.Id, Ct);

        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.GetDriveAsync(drive.Id, Ct));
        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.ErrorCode.ShouldBe("not_found");
    }

    [Fact]
    public async Task UploadDriveItem_UnknownDrive_ThrowsNotFound()
    {
        using var stream = new MemoryStream("hello"u8.ToArray());

        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.UploadDriveItemAsync("drv_unknown", stream, "hello.txt", cancellationToken: Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.ErrorCode.ShouldBe("not_found");
    }

    [Fact]
    public async Task UploadDriveItem_PathWithDotDot_Throws422NamingThePath()
    {
        var drive = await _client.CreateDriveAsync("Strict", Ct);
        using var stream = new MemoryStream("hello"u8.ToArray());

        var error = await Should.ThrowAsync<AgentryApiException>(() =>
            _client.UploadDriveItemAsync(drive.Id, stream, "hello.txt", new DriveUploadOptions { Path = "/a/../b.txt" }, Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        error.FieldErrors.ShouldHaveSingleItem().Path.ShouldBe("path");
        (await _client.ListDriveItemsAsync(drive.Id, cancellationToken: Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task CreateDrive_NameMissing_Throws422()
    {
        var error = await Should.ThrowAsync<AgentryApiException>(() => _client.CreateDriveAsync("", Ct));

        error.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    /// <summary>Records each report on the reporting thread (<see cref="Progress{T}"/> would post them later).</summary>
    private sealed class SynchronousProgress(List<long> reported) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (reported)
            {
                reported.Add(value);
            }
        }
    }
}
