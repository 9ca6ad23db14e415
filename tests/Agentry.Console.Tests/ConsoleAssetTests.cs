using System.Net;
using System.Net.Http.Headers;
using Agentry.Console.Tests.Infrastructure;

namespace Agentry.Console.Tests;

/// <summary>How the server serves the console: no key, compressed, cached by kind, SPA fallback only outside the API.</summary>
public sealed class ConsoleAssetTests(ConsoleFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Anonymous() => new() { BaseAddress = fixture.Server.Address };

    [Fact]
    public async Task Index_WithoutAKey_IsServedBrotliCompressedAndRevalidated()
    {
        using var client = Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        response.Headers.Vary.ShouldContain("Accept-Encoding");
    }

    [Fact]
    public async Task HashedAsset_IsImmutableAndGzippedForAGzipClient()
    {
        using var client = Anonymous();
        var index = await client.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        var script = System.Text.RegularExpressions.Regex.Match(index, "/assets/[^\"]+\\.js").Value;
        script.ShouldNotBeEmpty();

        using var request = new HttpRequestMessage(HttpMethod.Get, script);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        response.Headers.CacheControl!.ToString().ShouldBe("public, max-age=31536000, immutable");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
    }

    [Fact]
    public async Task Index_RequestedAgainWithItsETag_AnswersNotModified()
    {
        using var client = Anonymous();
        using var first = await client.GetAsync(new Uri("/", UriKind.Relative), Ct);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var response = await client.SendAsync(again, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Theory]
    [InlineData("/runs/run_123")]
    [InlineData("/agents/agt_1/edit")]
    public async Task ClientRoute_IsAnsweredWithTheApp(string path)
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("<div id=\"root\">");
    }

    [Theory]
    [InlineData("/v1/no-such-thing")]
    [InlineData("/v0.1/no-such-thing")]
    [InlineData("/openapi/nothing")]
    public async Task UnknownApiPath_KeepsTheApisAnswerRatherThanTheApp(string path)
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("<div id=\"root\">");
    }

    [Theory]
    [InlineData("/docs")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HostPath_IsAnsweredByTheHostNotTheApp(string path)
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("<div id=\"root\">");
    }

    [Fact]
    public async Task MissingAsset_IsNotFound()
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(new Uri("/assets/missing-0000.js", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
