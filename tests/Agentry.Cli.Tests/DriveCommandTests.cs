using Agentry.Cli.Tests.Infrastructure;
using Agentry.Client.Tests.Infrastructure;

namespace Agentry.Cli.Tests;

public sealed class DriveCommandTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly AgentryCli _cli = new(fixture.Server.Address, AgentryServerProcess.BootstrapKey);
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("agentry-cli-drive-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _cli.Dispose();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task Drives_CreateUploadWaitItemsSearchGetDelete_WorkEndToEnd()
    {
        var travel = await WriteAsync("travel.md", "# Travel\n\nEvery trip needs a zeppelin voucher.\n");
        var notes = await WriteAsync("notes.txt", "The marmalade fund pays for breakfast.\n");
        var single = await WriteAsync("office.csv", "room,seats\nAtlas,12\n");

        var created = await _cli.RunAsync("drives", "create", "Handbook", "--json");
        created.ExitCode.ShouldBe(0, created.ToString());
        var driveId = created.Json.GetProperty("id").GetString()!;
        var uploaded = await _cli.RunAsync("drives", "upload", driveId, travel, notes, "--path", "/policies", "--wait", "--json");
        uploaded.ExitCode.ShouldBe(0, uploaded.ToString());
        uploaded.Json.EnumerateArray().Select(i => (i.GetProperty("path").GetString(), i.GetProperty("status").GetString()))
            .ShouldBe([("/policies/travel.md", "ready"), ("/policies/notes.txt", "ready")]);
        var human = await _cli.RunAsync("drives", "upload", driveId, single, "--path", "/rooms.csv", "--wait");
        human.ExitCode.ShouldBe(0, human.ToString());
        human.Stdout.ShouldContain("/rooms.csv");
        human.Stdout.ShouldContain("ready");

        var items = await _cli.RunAsync("drives", "items", driveId, "--json");
        items.Json.EnumerateArray().Select(i => i.GetProperty("path").GetString()).Order(StringComparer.Ordinal).ShouldBe(["/policies/notes.txt", "/policies/travel.md", "/rooms.csv"]);
        (await _cli.RunAsync("drives", "items", driveId)).Stdout.ShouldContain("3 files");
        var search = await _cli.RunAsync("drives", "search", driveId, "zeppelin", "--json");
        search.ExitCode.ShouldBe(0, search.ToString());
        search.Json.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("path").GetString().ShouldBe("/policies/travel.md");
        var humanSearch = await _cli.RunAsync("drives", "search", driveId, "marmalade");
        humanSearch.Stdout.ShouldContain("/policies/notes.txt");
        humanSearch.Stdout.ShouldContain("marmalade");
        humanSearch.Stdout.ShouldNotContain("**");
        search.Json.GetProperty("items")[0].GetProperty("snippet").GetString()!.ShouldContain("**zeppelin**", Case.Insensitive);
        (await _cli.RunAsync("drives", "search", driveId, "nonexistentword")).Stdout.ShouldContain("No ready file matches");
        (await _cli.RunAsync("drives", "get", driveId)).Stdout.ShouldContain("Handbook");
        (await _cli.RunAsync("drives", "list", "--json")).Json.EnumerateArray().ShouldContain(d => d.GetProperty("id").GetString() == driveId);
        (await _cli.RunAsync("drives", "list")).Stdout.ShouldContain(driveId);

        var deleted = await _cli.RunAsync("drives", "delete", driveId);

        deleted.ExitCode.ShouldBe(0, deleted.ToString());
        var gone = await _cli.RunAsync("drives", "get", driveId, "--json");
        gone.ExitCode.ShouldBe(2, gone.ToString());
        gone.Stderr.ShouldContain("not_found");
    }

    [Fact]
    public async Task DrivesUpload_MissingLocalFile_ExitsWith2AndUploadsNothing()
    {
        using var client = fixture.Server.CreateClient();
        var drive = await client.CreateDriveAsync("Careful", Ct);
        var present = await WriteAsync("present.md", "# Present\n");

        var result = await _cli.RunAsync("drives", "upload", drive.Id, present, Path.Combine(_files.FullName, "absent.md"));

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("absent.md");
        (await client.ListDriveItemsAsync(drive.Id, cancellationToken: Ct)).Total.ShouldBe(0);
    }

    [Fact]
    public async Task DrivesUpload_BadPathOrUnknownDrive_ExitsWith2NamingTheProblem()
    {
        using var client = fixture.Server.CreateClient();
        var drive = await client.CreateDriveAsync("Strict", Ct);
        var file = await WriteAsync("a.md", "# A\n");

        var badPath = await _cli.RunAsync("drives", "upload", drive.Id, file, "--path", "/x/../a.md");
        var unknown = await _cli.RunAsync("drives", "upload", "drv_unknown", file, "--json");

        badPath.ExitCode.ShouldBe(2, badPath.ToString());
        badPath.Stderr.ShouldContain("path");
        unknown.ExitCode.ShouldBe(2, unknown.ToString());
        unknown.Stderr.ShouldContain("not_found");
    }

    [Fact]
    public async Task DrivesUpload_Help_ShowsExamples()
    {
        var result = await _cli.RunAsync("drives", "upload", "--help");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("agentry drives upload drv_123 travel.md --path /policies/travel.md --wait");
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_files.FullName, name);
        await File.WriteAllTextAsync(path, text, Ct);
        return path;
    }
}
