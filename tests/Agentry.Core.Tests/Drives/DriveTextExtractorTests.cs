using System.Text;
using Agentry.Core.Drives;

namespace Agentry.Core.Tests.Drives;

public sealed class DriveTextExtractorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Markdown_SectionsFollowHeadings_AndCodeFencesAreNotHeadings()
    {
        var document = await ExtractAsync("guide.md", "text/markdown", "# Guide\n\nIntro text here.\n\n## Install\n\n```bash\n# not a heading\nmake\n```\n\n### Linux\n\nUse apt.\n\n## Use\n\nRun it.");

        document.Title.ShouldBe("Guide");
        document.Sections.Select(s => string.Join(" › ", s.Headings)).ShouldBe(["Guide", "Guide › Install", "Guide › Install › Linux", "Guide › Use"]);
        document.Sections[1].Text.ShouldContain("# not a heading");
    }

    [Fact]
    public async Task Csv_QuotedFieldsKeepSeparatorsAndQuotes_AndRowsNameTheirColumns()
    {
        var document = await ExtractAsync("t.csv", "text/csv", "name,note\n\"Smith, Jo\",\"said \"\"hi\"\"\"\nLee,plain\n");

        document.Sections.ShouldHaveSingleItem().Text.ShouldBe("name: Smith, Jo; note: said \"hi\"\nname: Lee; note: plain");
        document.Summary.ShouldBe("A CSV table of 2 rows with the columns name, note.");
    }

    [Fact]
    public async Task Json_EveryValueIsAPathLine_AndEachTopLevelKeyASection()
    {
        var document = await ExtractAsync("d.json", "application/json", """{"team":{"lead":"Ada","size":3},"tags":["a","b"]}""");

        document.Sections.Select(s => s.Text).ShouldBe(["team.lead: Ada\nteam.size: 3", "tags[0]: a\ntags[1]: b"]);
        document.Summary.ShouldBe("A JSON object with the keys team, tags.");
    }

    [Theory]
    [InlineData("bad.json", "application/json", "{\"a\":", "not valid JSON")]
    [InlineData("image.png", "image/png", "\u0089PNG", "image/png")]
    [InlineData("blob.bin", "application/octet-stream", "\0\0\u0001binary", "binary data of an unknown type")]
    [InlineData("text.txt", "text/plain", "abc\0def", "NUL bytes")]
    public async Task Unreadable_IsAnExtractionErrorThatSaysWhy(string name, string contentType, string content, string reason)
    {
        var error = await Should.ThrowAsync<DriveExtractionException>(() => ExtractAsync(name, contentType, content));

        error.Message.ShouldContain(reason);
    }

    [Fact]
    public async Task UnknownType_WithHtmlStart_IsReadAsHtml()
    {
        var document = await ExtractAsync("page", "application/octet-stream", "<!DOCTYPE html><html><head><title>T</title></head><body><p>Body text.</p></body></html>");

        document.Title.ShouldBe("T");
        document.Sections.ShouldHaveSingleItem().Text.ShouldBe("Body text.");
    }

    [Fact]
    public void Chunks_AreBounded_AndTheirBodiesInOrderAreTheText()
    {
        var paragraph = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"Sentence number {i} talks about the subject at length."));
        var document = new DriveDocument("T", [new DriveSection(["Intro"], "Short opening paragraph."), new DriveSection(["Intro", "Long"], paragraph + "\n\nClosing paragraph.")]);

        var chunks = DriveChunker.Chunk(document);

        chunks.Count.ShouldBeGreaterThan(3);
        chunks.ShouldAllBe(c => c.Body.Length <= DriveChunker.MaxChunkChars + "Long\n\n".Length);
        chunks.Select(c => c.Ordinal).ShouldBe(Enumerable.Range(0, chunks.Count));
        chunks[0].Body.ShouldBe("Intro\n\nShort opening paragraph.");
        chunks[1].Heading.ShouldBe("Intro › Long");
        var text = string.Join("\n\n", chunks.Select(c => c.Body));
        text.Replace("\n\n", " ", StringComparison.Ordinal).ShouldBe($"Intro Short opening paragraph. Long {paragraph} Closing paragraph.");
    }

    [Fact]
    public void Summary_IsTheFirstProseSentences_SkippingHeadingsListsAndCode()
    {
        var document = new DriveDocument(null, [new DriveSection(["Title"], "- a list item\n\n```\ncode here\n```\n\nThe first real paragraph explains what the file is about. It has a second sentence too. And a third one that goes on and on to pass the limit of the summary length for sure, with many more words than fit, because it keeps adding clauses, and more clauses, and yet more clauses until it is far longer than three hundred characters in all.")]);

        DriveChunker.Summarize(document).ShouldBe("The first real paragraph explains what the file is about. It has a second sentence too.");
    }

    private static async Task<DriveDocument> ExtractAsync(string name, string contentType, string content)
    {
        using var stream = new MemoryStream(Encoding.Latin1.GetBytes(content));
        return await DriveTextExtractor.ExtractAsync(stream, contentType, name, Ct);
    }
}
