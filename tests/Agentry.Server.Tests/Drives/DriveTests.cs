using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Agentry.Server.Tests.Infrastructure;
using Agentry.Server.Tests.Runs;

namespace Agentry.Server.Tests.Drives;

public sealed class DriveTests(AgentryServerFactory server) : IClassFixture<AgentryServerFactory>
{
    private readonly HttpClient _client = server.CreateAdminClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string PangolinPage =
        "<html><head><title>Pangolin facts</title><script>var x = 'scriptword';</script></head><body><h1>Pangolins</h1><p>The pangolin is covered in scales made of keratin.</p></body></html>";

    public static TheoryData<string, string, string?, string> Files => new()
    {
        { "/notes/plain.txt", "The quokka lives on Rottnest Island.\n\nIt is a small marsupial that seems to smile.", null, "quokka" },
        { "/guides/setup.md", "# Setup guide\n\nInstall the axolotl package first.\n\n## Running\n\nStart it with the default settings and check the logs.", "text/markdown", "axolotl" },
        { "/pages/index.html", PangolinPage, "text/html", "pangolin" },
        { "/data/animals.json", """{"animals":[{"name":"narwhal","habitat":"Arctic waters"}],"count":1}""", "application/json", "narwhal" },
        { "/data/animals.csv", "name,habitat\nokapi,Congo rainforest\n\"wombat, common\",Australia", "text/csv", "okapi" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Upload_SupportedTextType_BecomesReadyAndSearchable(string path, string content, string? contentType, string word)
    {
        var driveId = await _client.CreateDriveAsync();

        var created = await _client.UploadTextAsync(driveId, path, content, contentType);

        created.GetProperty("kind").GetString().ShouldBe("file");
        created.GetProperty("path").GetString().ShouldBe(path);
        created.GetProperty("name").GetString().ShouldBe(path[(path.LastIndexOf('/') + 1)..]);
        created.GetProperty("size").GetInt64().ShouldBe(Encoding.UTF8.GetByteCount(content));
        created.GetProperty("status").GetString().ShouldBeOneOf("processing", "ready");
        var item = await _client.WaitForIndexedAsync(driveId, created.Id());
        item.GetProperty("status").GetString().ShouldBe("ready", item.ToString());
        item.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
        (await _client.SearchIdsAsync(driveId, word)).ShouldBe([created.Id()]);
    }

    [Fact]
    public async Task Upload_Html_DropsScriptsAndTakesTheTitle()
    {
        var driveId = await _client.CreateDriveAsync();
        var created = await _client.UploadTextAsync(driveId, "/page.html", PangolinPage, "text/html");

        var item = await _client.WaitForIndexedAsync(driveId, created.Id());

        item.GetProperty("title").GetString().ShouldBe("Pangolin facts");
        item.GetProperty("contentType").GetString().ShouldBe("text/html");
        (await _client.SearchIdsAsync(driveId, "scriptword")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_Pdf_IsIndexedPageByPageWithItsTitle()
    {
        var driveId = await _client.CreateDriveAsync();
        var pdf = DriveApi.Pdf("Capybara report", "The capybara is the largest living rodent.", "It lives in South America near water.");

        var created = await _client.UploadItemAsync(driveId, "/reports/capybara.pdf", pdf);

        created.GetProperty("contentType").GetString().ShouldBe("application/pdf");
        var item = await _client.WaitForIndexedAsync(driveId, created.Id());
        item.GetProperty("status").GetString().ShouldBe("ready", item.ToString());
        item.GetProperty("title").GetString().ShouldBe("Capybara report");
        item.GetProperty("summary").GetString()!.ShouldContain("largest living rodent");
        var search = await _client.GetFromJsonAsync<JsonElement>($"/v1/drives/{driveId}/search?q=rodent", Ct);
        var hit = search.GetProperty("items").EnumerateArray().ShouldHaveSingleItem();
        hit.GetProperty("itemId").GetString().ShouldBe(created.Id());
        hit.GetProperty("title").GetString().ShouldBe("Capybara report");
        hit.GetProperty("heading").GetString().ShouldBe("Page 1");
        hit.GetProperty("snippet").GetString()!.ShouldContain("**rodent**");
        hit.GetProperty("score").GetDouble().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Upload_CorruptPdf_EndsInErrorWithTheReason()
    {
        var driveId = await _client.CreateDriveAsync();
        var corrupt = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> garbage without xref or trailer");

        var created = await _client.UploadItemAsync(driveId, "/broken.pdf", corrupt, "application/pdf");

        var item = await _client.WaitForIndexedAsync(driveId, created.Id());
        item.GetProperty("status").GetString().ShouldBe("error");
        item.GetProperty("error").GetString()!.ShouldContain("could not be read as a PDF");
    }

    [Fact]
    public async Task Upload_UnsupportedType_EndsInErrorNamingWhatIsSupported()
    {
        var driveId = await _client.CreateDriveAsync();

        var created = await _client.UploadItemAsync(driveId, "/archive.zip", [0x50, 0x4B, 0x03, 0x04, 0, 0, 0], "application/zip");

        var item = await _client.WaitForIndexedAsync(driveId, created.Id());
        item.GetProperty("status").GetString().ShouldBe("error");
        item.GetProperty("error").GetString()!.ShouldContain("application/zip");
        item.GetProperty("error").GetString()!.ShouldContain("Markdown");
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("/a/../etc/passwd")]
    [InlineData("/a//b.txt")]
    [InlineData("/folder/")]
    [InlineData("/./x.txt")]
    public async Task Upload_InvalidPath_Answers422NamingPathAndStoresNothing(string path)
    {
        var driveId = await _client.CreateDriveAsync();

        using var response = await _client.UploadAsync(driveId, path, "text"u8.ToArray());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input");
        problem.ErrorPaths().ShouldBe(["path"]);
        var items = await _client.GetFromJsonAsync<JsonElement>($"/v1/drives/{driveId}/items", Ct);
        items.GetProperty("total").GetInt32().ShouldBe(0);
        Directory.GetFiles(Path.Combine(server.DataDir, "drives", driveId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Upload_WithoutPath_UsesTheFileName()
    {
        var driveId = await _client.CreateDriveAsync();

        using var response = await _client.UploadAsync(driveId, path: null, "hello"u8.ToArray(), fileName: "hello.txt");

        var item = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        item.GetProperty("path").GetString().ShouldBe("/hello.txt");
        item.GetProperty("contentType").GetString().ShouldBe("text/plain");
    }

    [Fact]
    public async Task Upload_WithoutFilePart_Answers400NamingFile()
    {
        var driveId = await _client.CreateDriveAsync();

        using var response = await _client.UploadAsync(driveId, "/x.txt", content: null);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request");
        problem.ErrorPaths().ShouldBe(["file"]);
    }

    [Fact]
    public async Task Upload_NotMultipart_Answers415()
    {
        var driveId = await _client.CreateDriveAsync();

        using var response = await _client.PostAsJsonAsync($"/v1/drives/{driveId}/items", new { path = "/x.txt" }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task Upload_DescriptionAndMetadata_AreKept_AndMetadataMustBeAnObject()
    {
        var driveId = await _client.CreateDriveAsync();

        var item = await _client.UploadItemAsync(driveId, "/a.txt", "alpha"u8.ToArray(), fields: new Dictionary<string, string> { ["description"] = "The first letter", ["metadata"] = """{"team":"docs"}""" });
        using var bad = await _client.UploadAsync(driveId, "/b.txt", "beta"u8.ToArray(), fields: new Dictionary<string, string> { ["metadata"] = "[1,2]" });

        item.GetProperty("description").GetString().ShouldBe("The first letter");
        item.GetProperty("metadata").GetProperty("team").GetString().ShouldBe("docs");
        (await bad.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input")).ErrorPaths().ShouldBe(["metadata"]);
    }

    [Fact]
    public async Task Upload_SamePathAgain_ReplacesTheItemAndReindexesItsContent()
    {
        var driveId = await _client.CreateDriveAsync();
        var first = await _client.AddReadyFileAsync(driveId, "/animal.txt", "The tapir has a short prehensile snout.");

        var second = await _client.UploadTextAsync(driveId, "/animal.txt", "The ocelot is a wild cat of the Americas.");
        var replaced = await _client.WaitForIndexedAsync(driveId, second.Id());

        second.Id().ShouldBe(first.Id());
        replaced.GetProperty("status").GetString().ShouldBe("ready");
        replaced.GetProperty("createdAt").GetString().ShouldBe(first.GetProperty("createdAt").GetString());
        (await _client.SearchIdsAsync(driveId, "tapir")).ShouldBeEmpty();
        (await _client.SearchIdsAsync(driveId, "ocelot")).ShouldBe([first.Id()]);
        var items = await _client.GetFromJsonAsync<JsonElement>($"/v1/drives/{driveId}/items", Ct);
        items.GetProperty("total").GetInt32().ShouldBe(1);
        Directory.GetFiles(Path.Combine(server.DataDir, "drives", driveId)).Length.ShouldBe(1);
    }

    [Fact]
    public async Task DeleteItem_RemovesItFromSearchAndTheList()
    {
        var driveId = await _client.CreateDriveAsync();
        var kept = await _client.AddReadyFileAsync(driveId, "/kept.txt", "The gecko climbs walls with its feet.");
        var gone = await _client.AddReadyFileAsync(driveId, "/gone.txt", "The gecko sheds its tail to escape.");

        using var delete = await _client.DeleteAsync($"/v1/drives/{driveId}/items/{gone.Id()}", Ct);

        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _client.SearchIdsAsync(driveId, "gecko")).ShouldBe([kept.Id()]);
        (await _client.GetAsync($"/v1/drives/{driveId}/items/{gone.Id()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _client.DeleteAsync($"/v1/drives/{driveId}/items/{gone.Id()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteDrive_RemovesTheDriveItsItemsAndFiles()
    {
        var driveId = await _client.CreateDriveAsync();
        await _client.AddReadyFileAsync(driveId, "/x.txt", "The lemur lives on Madagascar.");

        using var delete = await _client.DeleteAsync($"/v1/drives/{driveId}", Ct);

        delete.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _client.GetAsync($"/v1/drives/{driveId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _client.GetAsync($"/v1/drives/{driveId}/items", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Directory.Exists(Path.Combine(server.DataDir, "drives", driveId)).ShouldBeFalse();
    }

    [Fact]
    public async Task Drives_AreListedNewestFirstWithPaging()
    {
        var organization = await server.CreateOrganizationAsync("Paging org");
        using var client = server.CreateClient(organization.AdminKey);
        var first = await client.CreateDriveAsync("First");
        var second = await client.CreateDriveAsync("Second");

        var page = await client.GetFromJsonAsync<JsonElement>("/v1/drives?limit=1", Ct);
        var drive = await client.GetFromJsonAsync<JsonElement>($"/v1/drives/{first}", Ct);

        page.GetProperty("total").GetInt32().ShouldBe(2);
        page.GetProperty("limit").GetInt32().ShouldBe(1);
        page.GetProperty("offset").GetInt32().ShouldBe(0);
        page.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().Id().ShouldBe(second);
        drive.GetProperty("name").GetString().ShouldBe("First");
        (await client.GetAsync("/v1/drives?limit=0", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("%20%2B%22")]
    public async Task Search_WithoutAWord_Answers400NamingQ(string query)
    {
        var driveId = await _client.CreateDriveAsync();

        using var response = await _client.GetAsync($"/v1/drives/{driveId}/search?q={query}", Ct);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "bad_request")).ErrorPaths().ShouldBe(["q"]);
    }

    [Fact]
    public async Task Search_QuerySyntaxInTheWords_IsSearchedAsPlainWords()
    {
        var driveId = await _client.CreateDriveAsync();
        var item = await _client.AddReadyFileAsync(driveId, "/syntax.txt", "The heron NEAR the river waits for fish.");

        (await _client.SearchIdsAsync(driveId, "heron\" OR NEAR(river * -fish")).ShouldBe([item.Id()]);
    }

    [Fact]
    public async Task CreateDrive_WithoutName_Answers422NamingName()
    {
        using var response = await _client.PostAsJsonAsync("/v1/drives", new { name = "  " }, Ct);

        (await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_input")).ErrorPaths().ShouldBe(["/name"]);
    }

    [Fact]
    public async Task AnotherOrganization_SeesNoneOfTheDriveOrItsItems()
    {
        var driveId = await _client.CreateDriveAsync();
        var item = await _client.AddReadyFileAsync(driveId, "/secret.txt", "The vaquita is the rarest porpoise.");
        var other = await server.CreateOrganizationAsync("Other org");
        using var client = server.CreateClient(other.AdminKey);

        (await client.GetAsync($"/v1/drives/{driveId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/v1/drives/{driveId}/items", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/v1/drives/{driveId}/items/{item.Id()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/v1/drives/{driveId}/search?q=vaquita", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using (var upload = await client.UploadAsync(driveId, "/x.txt", "x"u8.ToArray()))
        {
            await upload.ShouldBeProblemAsync(HttpStatusCode.NotFound, "not_found");
        }

        (await client.DeleteAsync($"/v1/drives/{driveId}/items/{item.Id()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.DeleteAsync($"/v1/drives/{driveId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var theirs = await client.GetFromJsonAsync<JsonElement>("/v1/drives", Ct);
        theirs.GetProperty("items").EnumerateArray().Select(d => d.Id()).ShouldNotContain(driveId);
        (await _client.SearchIdsAsync(driveId, "vaquita")).ShouldBe([item.Id()]);
    }

    [Fact]
    public async Task Scopes_ReadingNeedsRunsRead_ChangingNeedsAgentsWrite()
    {
        var driveId = await _client.CreateDriveAsync();
        using var reader = server.CreateClient(await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:read"));
        using var runner = server.CreateClient(await server.CreateApiKeyAsync(AgentryServerFactory.BootstrapKey, "runs:write"));

        (await reader.GetAsync("/v1/drives", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reader.GetAsync($"/v1/drives/{driveId}/items", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var upload = await reader.UploadAsync(driveId, "/x.txt", "x"u8.ToArray()))
        {
            await upload.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        (await reader.PostAsJsonAsync("/v1/drives", new { name = "No" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await reader.DeleteAsync($"/v1/drives/{driveId}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await runner.GetAsync("/v1/drives", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SaveAgent_WithUnknownOrForeignDrive_Answers422NamingThePointer()
    {
        var other = await server.CreateOrganizationAsync("Drive owner");
        using var otherClient = server.CreateClient(other.AdminKey);
        var foreignDrive = await otherClient.CreateDriveAsync("Theirs");
        var ownDrive = await _client.CreateDriveAsync("Ours");
        var agent = RunApi.Research("With drives");
        agent["drives"] = new object[] { new { driveId = ownDrive }, new { driveId = "drv_doesnotexist" }, new { driveId = foreignDrive } };

        using var response = await _client.PostAsJsonAsync("/v1/agents", agent, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_agent");
        problem.ErrorPaths().ShouldBe(["/drives/1/driveId", "/drives/2/driveId"]);
        agent["drives"] = new object[] { new { driveId = ownDrive } };
        var created = await _client.PostJsonAsync("/v1/agents", agent, HttpStatusCode.Created);
        created.GetProperty("drives")[0].GetProperty("driveId").GetString().ShouldBe(ownDrive);
        using var patch = await _client.PatchAsJsonAsync($"/v1/agents/{created.Id()}", new { drives = new[] { new { driveId = foreignDrive } } }, Ct);
        (await patch.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_agent")).ErrorPaths().ShouldBe(["/drives/0/driveId"]);
    }
}
