using System.Text;
using Agentry.Core.Agents;
using Agentry.Core.Events;
using Agentry.Core.Runtime;
using Agentry.Core.Tests.Fakes;
using Agentry.Core.Tools;
using Agentry.Core.Tools.Browse;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Agentry.Core.Tests.Tools;

public sealed class BrowseWebsiteTests : IAsyncLifetime
{
    private const string ArticleHtml = """
        <!doctype html>
        <html><head><title>Solar power in 2026</title><script>var tracking = "SCRIPT-NOISE";</script></head>
        <body>
          <nav><a href="/">Home</a> <a href="/about">About</a></nav>
          <article>
            <h1>Solar power in 2026</h1>
            <p>Solar panels turned into the cheapest source of new electricity in most countries this year, according to the
               grid operators' figures. Utility-scale plants now cost a fraction of what they did a decade ago.</p>
            <p>Storage is the next question: batteries paired with panels let plants sell power after sunset, and the first
               large hybrid plants report capacity factors close to those of gas turbines running at mid merit.</p>
            <p>Engineers point out that grid connection queues, not panel prices, are now the slowest part of a new project,
               with waits of several years in some regions for a connection agreement.</p>
          </article>
          <footer>Copyright FOOTER-NOISE</footer>
        </body></html>
        """;

    private readonly LocalSite _site = new();

    public ValueTask InitializeAsync()
    {
        _site
            .Serve("/article", "text/html; charset=utf-8", ArticleHtml)
            .Serve("/bare", "text/html", "<html><head><title>Bare</title><style>p{}</style></head><body><p>Just one line.</p></body></html>")
            .Serve("/notes.txt", "text/plain; charset=utf-8", "Line one.\n\n\n\nLine   two.")
            .Serve("/data.json", "application/json", """{"name":"panel","watts":[400,410]}""")
            .Serve("/report.pdf", new SiteResponse(200, "application/pdf", Pdf("Solar Report", "Panels convert sunlight into electricity")))
            .Serve("/image.png", new SiteResponse(200, "image/png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0]))
            .Serve("/big", new SiteResponse(200, "text/plain", new byte[3 * 1024 * 1024]))
            .Serve("/big-unannounced", new SiteResponse(200, "text/plain", Encoding.ASCII.GetBytes(new string('x', 3 * 1024 * 1024)), OmitContentLength: true))
            .Redirect("/old", "/article")
            .Redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
            .Redirect("/to-private", "http://10.0.0.1/admin")
            .Redirect("/to-localhost", $"http://localhost:{_site.Port}/article")
            .Redirect("/loop", "/loop")
            .Redirect("/to-file", "file:///etc/passwd");
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _site.DisposeAsync();

    private static byte[] Pdf(string title, string text)
    {
        using var builder = new PdfDocumentBuilder();
        builder.DocumentInformation.Title = title;
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        page.AddText(text, 12, new PdfPoint(25, 700), font);
        return builder.Build();
    }

    private static BrowseOptions Options(Action<BrowseOptions>? configure = null)
    {
        var options = new BrowseOptions();
        options.AllowedHosts.Add("127.0.0.1");
        configure?.Invoke(options);
        return options;
    }

    private static async Task<(BrowseResult Result, RecordingEventSink Sink, RunSources Sources)> BrowseAsync(string url, BrowseOptions? options = null)
    {
        options ??= Options();
        var sink = new RecordingEventSink();
        var sources = new RunSources(sink);
        using var fetcher = new WebFetcher(options, NullLogger<WebFetcher>.Instance);
        var result = await new BrowseWebsite(fetcher, options).BrowseAsync(url, sources, TestContext.Current.CancellationToken);
        return (result, sink, sources);
    }

    private static async Task<ToolException> RefusedAsync(string url, BrowseOptions? options = null) =>
        await Should.ThrowAsync<ToolException>(() => BrowseAsync(url, options));

    [Fact]
    public async Task Html_ReadableArticle_TitleAndTextWithoutScriptsOrNavigation_AndASourceEvent()
    {
        var (result, sink, sources) = await BrowseAsync(_site.Url("/article"));

        result.Title.ShouldBe("Solar power in 2026");
        result.ContentKind.ShouldBe("html");
        result.Text.ShouldContain("cheapest source of new electricity");
        result.Text.ShouldContain("grid connection queues");
        result.Text.ShouldNotContain("SCRIPT-NOISE");
        result.Text.ShouldNotContain("FOOTER-NOISE");
        result.Citation.ShouldBe(1);
        result.Truncated.ShouldBeFalse();

        var source = sink.Events.ShouldHaveSingleItem();
        source.Type.ShouldBe(RunEventTypes.Source);
        source.Data.GetProperty("url").GetString().ShouldBe(_site.Url("/article"));
        source.Data.GetProperty("title").GetString().ShouldBe("Solar power in 2026");
        source.Data.GetProperty("snippet").GetString()!.Length.ShouldBeGreaterThan(20);
        sources.Snapshot().ShouldHaveSingleItem().Url.ShouldBe(_site.Url("/article"));
    }

    [Fact]
    public async Task Html_WithoutAnArticle_FallsBackToTheBodyText()
    {
        var (result, _, _) = await BrowseAsync(_site.Url("/bare"));

        result.Title.ShouldBe("Bare");
        result.Text.ShouldBe("Just one line.");
    }

    [Fact]
    public async Task PlainText_IsReturnedWithTidiedWhitespace_AndTheUrlAsTheSourceTitle()
    {
        var (result, sink, _) = await BrowseAsync(_site.Url("/notes.txt"));

        result.ContentKind.ShouldBe("text");
        result.Text.ShouldBe("Line one.\n\nLine two.");
        result.Title.ShouldBeNull();
        sink.Events.Single().Data.GetProperty("title").GetString().ShouldBe(_site.Url("/notes.txt"));
    }

    [Fact]
    public async Task Json_IsPrettyPrinted()
    {
        var (result, _, _) = await BrowseAsync(_site.Url("/data.json"));

        result.ContentKind.ShouldBe("json");
        result.Text.ShouldContain("\"name\": \"panel\"");
        result.Text.ShouldContain("\n");
    }

    [Fact]
    public async Task Pdf_TextAndTitleAreExtracted()
    {
        var (result, _, _) = await BrowseAsync(_site.Url("/report.pdf"));

        result.ContentKind.ShouldBe("pdf");
        result.Title.ShouldBe("Solar Report");
        result.Text.ShouldContain("Panels convert sunlight into electricity");
    }

    [Fact]
    public async Task Redirect_ToAnAllowedPage_IsFollowed_AndTheFinalUrlIsTheSource()
    {
        var (result, _, sources) = await BrowseAsync(_site.Url("/old"));

        result.Url.ShouldBe(_site.Url("/article"));
        sources.Snapshot().Single().Url.ShouldBe(_site.Url("/article"));
    }

    [Theory]
    [InlineData("/to-metadata", "cloud metadata")]
    [InlineData("/to-private", "private")]
    [InlineData("/to-localhost", "loopback")]
    public async Task Redirect_ToABlockedAddress_IsRefused(string path, string addressClass)
    {
        var error = await RefusedAsync(_site.Url(path));

        error.Message.ShouldContain("Refused to connect");
        error.Message.ShouldContain(addressClass);
    }

    [Fact]
    public async Task Redirect_ToAnotherScheme_OrInALoop_IsRefused()
    {
        (await RefusedAsync(_site.Url("/to-file"))).Message.ShouldContain("Only http and https");
        (await RefusedAsync(_site.Url("/loop"))).Message.ShouldContain("redirected more than 5 times");
    }

    [Fact]
    public async Task OversizeBody_IsRefused_WhetherAnnouncedOrNot()
    {
        (await RefusedAsync(_site.Url("/big"))).Message.ShouldContain("over the limit of 2,097,152 bytes");
        (await RefusedAsync(_site.Url("/big-unannounced"))).Message.ShouldContain("larger than the limit of 2,097,152 bytes");
    }

    [Fact]
    public async Task NotFound_AndUnsupportedTypes_AreToolErrors()
    {
        (await RefusedAsync(_site.Url("/missing"))).Message.ShouldContain("HTTP 404");
        (await RefusedAsync(_site.Url("/image.png"))).Message.ShouldContain("image/png");
        (await RefusedAsync("not a url")).Message.ShouldContain("not an absolute URL");
        (await RefusedAsync("ftp://127.0.0.1/file")).Message.ShouldContain("Only http and https");
    }

    [Fact]
    public async Task LongText_IsTruncated_AndSaysSo()
    {
        var (result, _, _) = await BrowseAsync(_site.Url("/article"), Options(o => o.MaxTextChars = 50));

        result.Truncated.ShouldBeTrue();
        result.Text.ShouldContain("[Truncated: the page's text has");
        result.Text.ShouldContain("only the first 50 are shown");
    }

    [Fact]
    public async Task SamePageTwice_IsOneSource_WithTheSameCitation()
    {
        var options = Options();
        var sink = new RecordingEventSink();
        var sources = new RunSources(sink);
        using var fetcher = new WebFetcher(options, NullLogger<WebFetcher>.Instance);
        var browser = new BrowseWebsite(fetcher, options);

        var first = await browser.BrowseAsync(_site.Url("/article"), sources, TestContext.Current.CancellationToken);
        var second = await browser.BrowseAsync(_site.Url("/data.json"), sources, TestContext.Current.CancellationToken);
        var again = await browser.BrowseAsync(_site.Url("/old"), sources, TestContext.Current.CancellationToken);

        (first.Citation, second.Citation, again.Citation).ShouldBe((1, 2, 1));
        sources.Snapshot().Select(s => s.Url).ShouldBe([_site.Url("/article"), _site.Url("/data.json")]);
        sink.Types.ShouldBe([RunEventTypes.Source, RunEventTypes.Source]);
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/article")]
    [InlineData("http://localhost:{port}/article")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/article")]
    [InlineData("http://2130706433:{port}/article")]
    public async Task LoopbackSite_NotAllowListed_IsRefusedBeforeAnyConnection(string template)
    {
        var error = await RefusedAsync(template.Replace("{port}", _site.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)), new BrowseOptions());

        error.Message.ShouldContain("loopback");
        _site.Connections.ShouldBe(0);
    }

    [Fact]
    public async Task AllowedNetwork_OpensLoopbackByAddress_WhateverTheHostName()
    {
        var options = new BrowseOptions();
        options.AllowedNetworks.Add("127.0.0.0/8");

        var (result, _, _) = await BrowseAsync($"http://localhost:{_site.Port}/article", options);

        result.Title.ShouldBe("Solar power in 2026");
    }

    [Fact]
    public async Task Run_ModelBrowsesAPage_SourceEventAndTheRunsSources()
    {
        var url = _site.Url("/article");
        var client = new ScriptedChatClient()
            .ThenText("Plan: read the article.")
            .Then(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "browseWebsite", new Dictionary<string, object?> { ["url"] = url })]))
            {
                ModelId = "scripted",
                FinishReason = ChatFinishReason.ToolCalls,
            })
            .ThenText("I have read it.")
            .ThenText("Solar is now the cheapest new electricity [1].");
        var toolsOptions = new ToolsOptions();
        toolsOptions.Browse.AllowedHosts.Add("127.0.0.1");
        using var provider = new BuiltinToolProvider(Microsoft.Extensions.Options.Options.Create(toolsOptions), NullLogger<WebFetcher>.Instance);
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "builtin", Type = "browseWebsite" }] };
        var sink = new RecordingEventSink();

        var outcome = await TestRuntime.Loop(scripted: client, tools: provider).ExecuteAsync(TestRuns.Context(config, "{}", sink), TestContext.Current.CancellationToken);

        var types = sink.Types.ToList();
        var source = sink.Events.Single(e => e.Type == RunEventTypes.Source);
        var call = sink.Events.Single(e => e.Type == RunEventTypes.ToolCall);
        source.Seq.ShouldBeGreaterThan(call.Seq);
        source.Data.GetProperty("url").GetString().ShouldBe(url);
        call.Data.GetProperty("output").GetProperty("citation").GetInt32().ShouldBe(1);
        call.Data.GetProperty("output").GetProperty("title").GetString().ShouldBe("Solar power in 2026");
        types.IndexOf(RunEventTypes.Source).ShouldBeLessThan(types.IndexOf(RunEventTypes.Result));

        outcome.Sources.ShouldHaveSingleItem().ShouldBe(new Agentry.Core.Runs.RunSource(url, "Solar power in 2026", source.Data.GetProperty("snippet").GetString()));
        var resultSources = outcome.ResultData.GetProperty("sources").EnumerateArray().ToList();
        resultSources.ShouldHaveSingleItem().GetProperty("url").GetString().ShouldBe(url);
        client.Requests[1].Options!.Tools!.Single().Name.ShouldBe("browseWebsite");
    }

    [Fact]
    public async Task Run_ModelBrowsesABlockedAddress_TheToolCallRecordsTheErrorAndTheRunGoesOn()
    {
        var client = new ScriptedChatClient()
            .ThenText("Plan.")
            .Then(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "browseWebsite", new Dictionary<string, object?> { ["url"] = "http://169.254.169.254/latest/meta-data/" })]))
            {
                ModelId = "scripted",
                FinishReason = ChatFinishReason.ToolCalls,
            })
            .ThenText("That was refused.")
            .ThenText("No sources.");
        using var provider = new BuiltinToolProvider(Microsoft.Extensions.Options.Options.Create(new ToolsOptions()), NullLogger<WebFetcher>.Instance);
        var config = TestRuns.Config(modelStackId: TestRuntime.ScriptedStackId) with { Tools = [new ToolSpec { Source = "builtin", Type = "browseWebsite" }] };
        var sink = new RecordingEventSink();

        var outcome = await TestRuntime.Loop(scripted: client, tools: provider).ExecuteAsync(TestRuns.Context(config, "{}", sink), TestContext.Current.CancellationToken);

        sink.Events.Single(e => e.Type == RunEventTypes.ToolCall).Data.GetProperty("error").GetString()!.ShouldContain("cloud metadata");
        outcome.Sources.ShouldBeEmpty();
        sink.Types.ShouldNotContain(RunEventTypes.Source);
    }
}
