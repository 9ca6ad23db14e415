using System.Text.Json;
using Agentry.Core.Agents;
using Agentry.Core.Drives;
using Agentry.Core.Models.Offline;
using Agentry.Core.Runs;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Agentry.Core.Tests.Drives;

public sealed class OfflineDriveResearchTests
{
    private static readonly JsonElement Input = TestRuns.Json("""{"topic":"tidal energy"}""");

    private static readonly AIFunction[] DriveTools =
    [
        AIFunctionFactory.Create(() => "unused", DriveToolProvider.SearchDrivesName),
        AIFunctionFactory.Create(() => "unused", DriveToolProvider.ReadDriveFileName),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Acting_WithDriveTools_SearchesFirstWithTheInputsWords()
    {
        using var client = Client();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "act")], Acting(), Ct);

        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ShouldHaveSingleItem();
        call.Name.ShouldBe("searchDrives");
        call.Arguments!["query"].ShouldBe("tidal energy");
        response.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
    }

    [Fact]
    public async Task Acting_AfterASearch_ReadsTheBestDistinctFiles_ThenStops()
    {
        using var client = Client();
        var history = new List<ChatMessage> { new(ChatRole.User, "act") };
        history.AddRange((await client.GetResponseAsync(history, Acting(), Ct)).Messages);
        var searchCall = history[^1].Contents.OfType<FunctionCallContent>().Single();
        IReadOnlyList<DriveSearchResultItem> hits =
        [
            new("itm_a", "drv_1", "/a.md", "A", string.Empty, "…", 3.0),
            new("itm_b", "drv_1", "/b.md", "B", string.Empty, "…", 2.0),
            new("itm_c", "drv_1", "/c.md", "C", string.Empty, "…", 1.5),
            new("itm_d", "drv_1", "/d.md", "D", string.Empty, "…", 1.0),
        ];
        history.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(searchCall.CallId, JsonSerializer.SerializeToElement(hits, AIJsonUtilities.DefaultOptions))]));

        var reads = await client.GetResponseAsync(history, Acting(), Ct);
        history.AddRange(reads.Messages);
        var readCalls = reads.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        history.Add(new ChatMessage(ChatRole.Tool, [.. readCalls.Select(c => new FunctionResultContent(c.CallId, "Error: gone"))]));
        var last = await client.GetResponseAsync(history, Acting(), Ct);

        readCalls.Select(c => c.Name).ShouldAllBe(name => name == "readDriveFile");
        readCalls.Select(c => c.Arguments!["itemId"]).ShouldBe(["itm_a", "itm_b", "itm_c"]);
        last.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ShouldBeEmpty();
    }

    [Fact]
    public async Task Result_AfterReads_IsAReportCitingEachFileByItsNumber()
    {
        using var client = Client();
        var history = new List<ChatMessage>
        {
            new(ChatRole.Assistant, [new FunctionCallContent("r1", "readDriveFile"), new FunctionCallContent("r2", "readDriveFile")]),
            new(ChatRole.Tool,
            [
                new FunctionResultContent("r1", Read("/tides.md", "Tides", 1, "Tidal energy turns the rise and fall of the sea into electricity. Unrelated words about gardening fill this sentence instead.")),
                new FunctionResultContent("r2", JsonSerializer.SerializeToElement(Read("/plants.md", "Plants", 2, "Tidal energy plants need a large tidal range to pay off."), AIJsonUtilities.DefaultOptions)),
            ]),
        };
        RunSource[] sources = [new("drive://drv_1/tides.md", "Tides"), new("drive://drv_1/plants.md", "Plants")];

        var report = (await client.GetResponseAsync(history, Options(AgentPhase.Result, sources), Ct)).Text;

        report.ShouldStartWith("# tidal energy\n");
        report.ShouldContain("- Tidal energy turns the rise and fall of the sea into electricity. [1]");
        report.ShouldContain("- Tidal energy plants need a large tidal range to pay off. [2]");
        report.ShouldNotContain("gardening");
        report.ShouldContain("1. [Tides](drive://drv_1/tides.md)");
        report.ShouldContain("2. [Plants](drive://drv_1/plants.md)");
        (await client.GetResponseAsync(history, Options(AgentPhase.Result, sources), Ct)).Text.ShouldBe(report);
    }

    private static DriveReadResult Read(string path, string title, int citation, string text) =>
        new("itm" + citation, "drv_1", path, title, "drive://drv_1" + path, citation, 0, text.Length, null, text);

    private static OfflineChatClient Client() => new("local/offline", TimeSpan.Zero, new FakeTimeProvider(TestRuns.Epoch));

    private static ChatOptions Acting()
    {
        var options = Options(AgentPhase.Acting, []);
        options.Tools = [.. DriveTools];
        return options;
    }

    private static ChatOptions Options(AgentPhase phase, IReadOnlyList<RunSource> sources)
    {
        var options = new ChatOptions();
        new AgentTurn(phase, "Research tidal energy.", Input, ResultType.Document, sources).AttachTo(options);
        return options;
    }
}
